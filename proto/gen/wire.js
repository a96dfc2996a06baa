/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const tecdsa = $root.tecdsa = (() => {

    /**
     * Namespace tecdsa.
     * @exports tecdsa
     * @namespace
     */
    const tecdsa = {};

    tecdsa.v1 = (function() {

        /**
         * Namespace v1.
         * @memberof tecdsa
         * @namespace
         */
        const v1 = {};

        /**
         * ProtocolKind enum.
         * @name tecdsa.v1.ProtocolKind
         * @enum {number}
         * @property {number} PROTOCOL_UNSPECIFIED=0 PROTOCOL_UNSPECIFIED value
         * @property {number} DKG=1 DKG value
         * @property {number} SIGN=2 SIGN value
         * @property {number} HISTORY=3 HISTORY value
         * @property {number} PRESIGN=4 PRESIGN value
         */
        v1.ProtocolKind = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "PROTOCOL_UNSPECIFIED"] = 0;
            values[valuesById[1] = "DKG"] = 1;
            values[valuesById[2] = "SIGN"] = 2;
            values[valuesById[3] = "HISTORY"] = 3;
            values[valuesById[4] = "PRESIGN"] = 4;
            return values;
        })();

        v1.Envelope = (function() {

            /**
             * Properties of an Envelope.
             * @typedef {Object} tecdsa.v1.Envelope.$Properties
             * @property {Uint8Array|null} [sessionId] Envelope sessionId
             * @property {tecdsa.v1.ProtocolKind|null} [protocol] Envelope protocol
             * @property {number|null} [round] Envelope round
             * @property {number|null} [from] Envelope from
             * @property {number|null} [to] Envelope to
             * @property {Uint8Array|null} [payload] Envelope payload
             * @property {Uint8Array|null} [signature] Envelope signature
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an Envelope.
             * @memberof tecdsa.v1
             * @interface IEnvelope
             * @augments tecdsa.v1.Envelope.$Properties
             * @deprecated Use tecdsa.v1.Envelope.$Properties instead.
             */

            /**
             * Shape of an Envelope.
             * @typedef {tecdsa.v1.Envelope.$Properties} tecdsa.v1.Envelope.$Shape
             */

            /**
             * Constructs a new Envelope.
             * @memberof tecdsa.v1
             * @classdesc Represents an Envelope.
             * @constructor
             * @param {tecdsa.v1.Envelope.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Envelope = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Envelope sessionId.
             * @member {Uint8Array} sessionId
             * @memberof tecdsa.v1.Envelope
             * @instance
             */
            Envelope.prototype.sessionId = $util.newBuffer([]);

            /**
             * Envelope protocol.
             * @member {tecdsa.v1.ProtocolKind} protocol
             * @memberof tecdsa.v1.Envelope
             * @instance
             */
            Envelope.prototype.protocol = 0;

            /**
             * Envelope round.
             * @member {number} round
             * @memberof tecdsa.v1.Envelope
             * @instance
             */
            Envelope.prototype.round = 0;

            /**
             * Envelope from.
             * @member {number} from
             * @memberof tecdsa.v1.Envelope
             * @instance
             */
            Envelope.prototype.from = 0;

            /**
             * Envelope to.
             * @member {number} to
             * @memberof tecdsa.v1.Envelope
             * @instance
             */
            Envelope.prototype.to = 0;

            /**
             * Envelope payload.
             * @member {Uint8Array} payload
             * @memberof tecdsa.v1.Envelope
             * @instance
             */
            Envelope.prototype.payload = $util.newBuffer([]);

            /**
             * Envelope signature.
             * @member {Uint8Array} signature
             * @memberof tecdsa.v1.Envelope
             * @instance
             */
            Envelope.prototype.signature = $util.newBuffer([]);

            /**
             * Encodes the specified Envelope message. Does not implicitly {@link tecdsa.v1.Envelope.verify|verify} messages.
             * @function encode
             * @memberof tecdsa.v1.Envelope
             * @static
             * @param {tecdsa.v1.Envelope.$Properties} message Envelope message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Envelope.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.sessionId != null && $Object.hasOwnProperty.call(message, "sessionId") && message.sessionId.length)
                    writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.sessionId);
                if (message.protocol != null && $Object.hasOwnProperty.call(message, "protocol") && message.protocol !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).int32(message.protocol);
                if (message.round != null && $Object.hasOwnProperty.call(message, "round") && message.round !== 0)
                    writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.round);
                if (message.from != null && $Object.hasOwnProperty.call(message, "from") && message.from !== 0)
                    writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.from);
                if (message.to != null && $Object.hasOwnProperty.call(message, "to") && message.to !== 0)
                    writer.uint32(/* id 5, wireType 0 =*/40).uint32(message.to);
                if (message.payload != null && $Object.hasOwnProperty.call(message, "payload") && message.payload.length)
                    writer.uint32(/* id 6, wireType 2 =*/50).bytes(message.payload);
                if (message.signature != null && $Object.hasOwnProperty.call(message, "signature") && message.signature.length)
                    writer.uint32(/* id 7, wireType 2 =*/58).bytes(message.signature);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified Envelope message, length delimited. Does not implicitly {@link tecdsa.v1.Envelope.verify|verify} messages.
             * @function encodeDelimited
             * @memberof tecdsa.v1.Envelope
             * @static
             * @param {tecdsa.v1.Envelope.$Properties} message Envelope message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Envelope.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes an Envelope message from the specified reader or buffer.
             * @function decode
             * @memberof tecdsa.v1.Envelope
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {tecdsa.v1.Envelope & tecdsa.v1.Envelope.$Shape} Envelope
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Envelope.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.tecdsa.v1.Envelope();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.sessionId = value;
                            else
                                delete message.sessionId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.protocol = value;
                            else
                                delete message.protocol;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.round = value;
                            else
                                delete message.round;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.from = value;
                            else
                                delete message.from;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.to = value;
                            else
                                delete message.to;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.payload = value;
                            else
                                delete message.payload;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.signature = value;
                            else
                                delete message.signature;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes an Envelope message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof tecdsa.v1.Envelope
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {tecdsa.v1.Envelope & tecdsa.v1.Envelope.$Shape} Envelope
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Envelope.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return Envelope;
        })();

        v1.DkgParty = (function() {

            /**
             * Properties of a DkgParty.
             * @typedef {Object} tecdsa.v1.DkgParty.$Properties
             * @property {number|null} [index] DkgParty index
             * @property {string|null} [peerId] DkgParty peerId
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a DkgParty.
             * @memberof tecdsa.v1
             * @interface IDkgParty
             * @augments tecdsa.v1.DkgParty.$Properties
             * @deprecated Use tecdsa.v1.DkgParty.$Properties instead.
             */

            /**
             * Shape of a DkgParty.
             * @typedef {tecdsa.v1.DkgParty.$Properties} tecdsa.v1.DkgParty.$Shape
             */

            /**
             * Constructs a new DkgParty.
             * @memberof tecdsa.v1
             * @classdesc Represents a DkgParty.
             * @constructor
             * @param {tecdsa.v1.DkgParty.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const DkgParty = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * DkgParty index.
             * @member {number} index
             * @memberof tecdsa.v1.DkgParty
             * @instance
             */
            DkgParty.prototype.index = 0;

            /**
             * DkgParty peerId.
             * @member {string} peerId
             * @memberof tecdsa.v1.DkgParty
             * @instance
             */
            DkgParty.prototype.peerId = "";

            /**
             * Encodes the specified DkgParty message. Does not implicitly {@link tecdsa.v1.DkgParty.verify|verify} messages.
             * @function encode
             * @memberof tecdsa.v1.DkgParty
             * @static
             * @param {tecdsa.v1.DkgParty.$Properties} message DkgParty message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DkgParty.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.index != null && $Object.hasOwnProperty.call(message, "index") && message.index !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.index);
                if (message.peerId != null && $Object.hasOwnProperty.call(message, "peerId") && message.peerId !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.peerId);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified DkgParty message, length delimited. Does not implicitly {@link tecdsa.v1.DkgParty.verify|verify} messages.
             * @function encodeDelimited
             * @memberof tecdsa.v1.DkgParty
             * @static
             * @param {tecdsa.v1.DkgParty.$Properties} message DkgParty message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DkgParty.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a DkgParty message from the specified reader or buffer.
             * @function decode
             * @memberof tecdsa.v1.DkgParty
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {tecdsa.v1.DkgParty & tecdsa.v1.DkgParty.$Shape} DkgParty
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DkgParty.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.tecdsa.v1.DkgParty();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.index = value;
                            else
                                delete message.index;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.peerId = value;
                            else
                                delete message.peerId;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a DkgParty message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof tecdsa.v1.DkgParty
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {tecdsa.v1.DkgParty & tecdsa.v1.DkgParty.$Shape} DkgParty
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DkgParty.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return DkgParty;
        })();

        v1.DkgStart = (function() {

            /**
             * Properties of a DkgStart.
             * @typedef {Object} tecdsa.v1.DkgStart.$Properties
             * @property {Uint8Array|null} [sessionId] DkgStart sessionId
             * @property {number|null} [threshold] DkgStart threshold
             * @property {Array.<tecdsa.v1.DkgParty.$Properties>|null} [parties] DkgStart parties
             * @property {string|null} [name] DkgStart name
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a DkgStart.
             * @memberof tecdsa.v1
             * @interface IDkgStart
             * @augments tecdsa.v1.DkgStart.$Properties
             * @deprecated Use tecdsa.v1.DkgStart.$Properties instead.
             */

            /**
             * Shape of a DkgStart.
             * @typedef {tecdsa.v1.DkgStart.$Properties} tecdsa.v1.DkgStart.$Shape
             */

            /**
             * Constructs a new DkgStart.
             * @memberof tecdsa.v1
             * @classdesc Represents a DkgStart.
             * @constructor
             * @param {tecdsa.v1.DkgStart.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const DkgStart = function (properties) {
                this.parties = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * DkgStart sessionId.
             * @member {Uint8Array} sessionId
             * @memberof tecdsa.v1.DkgStart
             * @instance
             */
            DkgStart.prototype.sessionId = $util.newBuffer([]);

            /**
             * DkgStart threshold.
             * @member {number} threshold
             * @memberof tecdsa.v1.DkgStart
             * @instance
             */
            DkgStart.prototype.threshold = 0;

            /**
             * DkgStart parties.
             * @member {Array.<tecdsa.v1.DkgParty.$Properties>} parties
             * @memberof tecdsa.v1.DkgStart
             * @instance
             */
            DkgStart.prototype.parties = $util.emptyArray;

            /**
             * DkgStart name.
             * @member {string} name
             * @memberof tecdsa.v1.DkgStart
             * @instance
             */
            DkgStart.prototype.name = "";

            /**
             * Encodes the specified DkgStart message. Does not implicitly {@link tecdsa.v1.DkgStart.verify|verify} messages.
             * @function encode
             * @memberof tecdsa.v1.DkgStart
             * @static
             * @param {tecdsa.v1.DkgStart.$Properties} message DkgStart message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DkgStart.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.sessionId != null && $Object.hasOwnProperty.call(message, "sessionId") && message.sessionId.length)
                    writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.sessionId);
                if (message.threshold != null && $Object.hasOwnProperty.call(message, "threshold") && message.threshold !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.threshold);
                if (message.parties != null && message.parties.length)
                    for (let i = 0; i < message.parties.length; ++i)
                        $root.tecdsa.v1.DkgParty.encode(message.parties[i], writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.name != null && $Object.hasOwnProperty.call(message, "name") && message.name !== "")
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.name);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified DkgStart message, length delimited. Does not implicitly {@link tecdsa.v1.DkgStart.verify|verify} messages.
             * @function encodeDelimited
             * @memberof tecdsa.v1.DkgStart
             * @static
             * @param {tecdsa.v1.DkgStart.$Properties} message DkgStart message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DkgStart.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a DkgStart message from the specified reader or buffer.
             * @function decode
             * @memberof tecdsa.v1.DkgStart
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {tecdsa.v1.DkgStart & tecdsa.v1.DkgStart.$Shape} DkgStart
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DkgStart.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.tecdsa.v1.DkgStart();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.sessionId = value;
                            else
                                delete message.sessionId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.threshold = value;
                            else
                                delete message.threshold;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if (!(message.parties && message.parties.length))
                                message.parties = [];
                            message.parties.push($root.tecdsa.v1.DkgParty.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.name = value;
                            else
                                delete message.name;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a DkgStart message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof tecdsa.v1.DkgStart
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {tecdsa.v1.DkgStart & tecdsa.v1.DkgStart.$Shape} DkgStart
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DkgStart.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return DkgStart;
        })();

        v1.DkgDone = (function() {

            /**
             * Properties of a DkgDone.
             * @typedef {Object} tecdsa.v1.DkgDone.$Properties
             * @property {Uint8Array|null} [keyId] DkgDone keyId
             * @property {Uint8Array|null} [publicKey] DkgDone publicKey
             * @property {Array.<Uint8Array>|null} [publicShares] DkgDone publicShares
             * @property {number|null} [index] DkgDone index
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a DkgDone.
             * @memberof tecdsa.v1
             * @interface IDkgDone
             * @augments tecdsa.v1.DkgDone.$Properties
             * @deprecated Use tecdsa.v1.DkgDone.$Properties instead.
             */

            /**
             * Shape of a DkgDone.
             * @typedef {tecdsa.v1.DkgDone.$Properties} tecdsa.v1.DkgDone.$Shape
             */

            /**
             * Constructs a new DkgDone.
             * @memberof tecdsa.v1
             * @classdesc Represents a DkgDone.
             * @constructor
             * @param {tecdsa.v1.DkgDone.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const DkgDone = function (properties) {
                this.publicShares = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * DkgDone keyId.
             * @member {Uint8Array} keyId
             * @memberof tecdsa.v1.DkgDone
             * @instance
             */
            DkgDone.prototype.keyId = $util.newBuffer([]);

            /**
             * DkgDone publicKey.
             * @member {Uint8Array} publicKey
             * @memberof tecdsa.v1.DkgDone
             * @instance
             */
            DkgDone.prototype.publicKey = $util.newBuffer([]);

            /**
             * DkgDone publicShares.
             * @member {Array.<Uint8Array>} publicShares
             * @memberof tecdsa.v1.DkgDone
             * @instance
             */
            DkgDone.prototype.publicShares = $util.emptyArray;

            /**
             * DkgDone index.
             * @member {number} index
             * @memberof tecdsa.v1.DkgDone
             * @instance
             */
            DkgDone.prototype.index = 0;

            /**
             * Encodes the specified DkgDone message. Does not implicitly {@link tecdsa.v1.DkgDone.verify|verify} messages.
             * @function encode
             * @memberof tecdsa.v1.DkgDone
             * @static
             * @param {tecdsa.v1.DkgDone.$Properties} message DkgDone message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DkgDone.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.keyId != null && $Object.hasOwnProperty.call(message, "keyId") && message.keyId.length)
                    writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.keyId);
                if (message.publicKey != null && $Object.hasOwnProperty.call(message, "publicKey") && message.publicKey.length)
                    writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.publicKey);
                if (message.publicShares != null && message.publicShares.length)
                    for (let i = 0; i < message.publicShares.length; ++i)
                        writer.uint32(/* id 3, wireType 2 =*/26).bytes(message.publicShares[i]);
                if (message.index != null && $Object.hasOwnProperty.call(message, "index") && message.index !== 0)
                    writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.index);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified DkgDone message, length delimited. Does not implicitly {@link tecdsa.v1.DkgDone.verify|verify} messages.
             * @function encodeDelimited
             * @memberof tecdsa.v1.DkgDone
             * @static
             * @param {tecdsa.v1.DkgDone.$Properties} message DkgDone message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DkgDone.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a DkgDone message from the specified reader or buffer.
             * @function decode
             * @memberof tecdsa.v1.DkgDone
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {tecdsa.v1.DkgDone & tecdsa.v1.DkgDone.$Shape} DkgDone
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DkgDone.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.tecdsa.v1.DkgDone();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.keyId = value;
                            else
                                delete message.keyId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.publicKey = value;
                            else
                                delete message.publicKey;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if (!(message.publicShares && message.publicShares.length))
                                message.publicShares = [];
                            message.publicShares.push(reader.bytes());
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.index = value;
                            else
                                delete message.index;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a DkgDone message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof tecdsa.v1.DkgDone
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {tecdsa.v1.DkgDone & tecdsa.v1.DkgDone.$Shape} DkgDone
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DkgDone.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return DkgDone;
        })();

        v1.SignStart = (function() {

            /**
             * Properties of a SignStart.
             * @typedef {Object} tecdsa.v1.SignStart.$Properties
             * @property {Uint8Array|null} [keyId] SignStart keyId
             * @property {Uint8Array|null} [sessionId] SignStart sessionId
             * @property {Uint8Array|null} [digest] SignStart digest
             * @property {number|null} [initiator] SignStart initiator
             * @property {number|null} [responder] SignStart responder
             * @property {Uint8Array|null} [authorization] SignStart authorization
             * @property {boolean|null} [presigned] SignStart presigned
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a SignStart.
             * @memberof tecdsa.v1
             * @interface ISignStart
             * @augments tecdsa.v1.SignStart.$Properties
             * @deprecated Use tecdsa.v1.SignStart.$Properties instead.
             */

            /**
             * Shape of a SignStart.
             * @typedef {tecdsa.v1.SignStart.$Properties} tecdsa.v1.SignStart.$Shape
             */

            /**
             * Constructs a new SignStart.
             * @memberof tecdsa.v1
             * @classdesc Represents a SignStart.
             * @constructor
             * @param {tecdsa.v1.SignStart.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const SignStart = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * SignStart keyId.
             * @member {Uint8Array} keyId
             * @memberof tecdsa.v1.SignStart
             * @instance
             */
            SignStart.prototype.keyId = $util.newBuffer([]);

            /**
             * SignStart sessionId.
             * @member {Uint8Array} sessionId
             * @memberof tecdsa.v1.SignStart
             * @instance
             */
            SignStart.prototype.sessionId = $util.newBuffer([]);

            /**
             * SignStart digest.
             * @member {Uint8Array} digest
             * @memberof tecdsa.v1.SignStart
             * @instance
             */
            SignStart.prototype.digest = $util.newBuffer([]);

            /**
             * SignStart initiator.
             * @member {number} initiator
             * @memberof tecdsa.v1.SignStart
             * @instance
             */
            SignStart.prototype.initiator = 0;

            /**
             * SignStart responder.
             * @member {number} responder
             * @memberof tecdsa.v1.SignStart
             * @instance
             */
            SignStart.prototype.responder = 0;

            /**
             * SignStart authorization.
             * @member {Uint8Array} authorization
             * @memberof tecdsa.v1.SignStart
             * @instance
             */
            SignStart.prototype.authorization = $util.newBuffer([]);

            /**
             * SignStart presigned.
             * @member {boolean} presigned
             * @memberof tecdsa.v1.SignStart
             * @instance
             */
            SignStart.prototype.presigned = false;

            /**
             * Encodes the specified SignStart message. Does not implicitly {@link tecdsa.v1.SignStart.verify|verify} messages.
             * @function encode
             * @memberof tecdsa.v1.SignStart
             * @static
             * @param {tecdsa.v1.SignStart.$Properties} message SignStart message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SignStart.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.keyId != null && $Object.hasOwnProperty.call(message, "keyId") && message.keyId.length)
                    writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.keyId);
                if (message.sessionId != null && $Object.hasOwnProperty.call(message, "sessionId") && message.sessionId.length)
                    writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.sessionId);
                if (message.digest != null && $Object.hasOwnProperty.call(message, "digest") && message.digest.length)
                    writer.uint32(/* id 3, wireType 2 =*/26).bytes(message.digest);
                if (message.initiator != null && $Object.hasOwnProperty.call(message, "initiator") && message.initiator !== 0)
                    writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.initiator);
                if (message.responder != null && $Object.hasOwnProperty.call(message, "responder") && message.responder !== 0)
                    writer.uint32(/* id 5, wireType 0 =*/40).uint32(message.responder);
                if (message.authorization != null && $Object.hasOwnProperty.call(message, "authorization") && message.authorization.length)
                    writer.uint32(/* id 6, wireType 2 =*/50).bytes(message.authorization);
                if (message.presigned != null && $Object.hasOwnProperty.call(message, "presigned") && message.presigned !== false)
                    writer.uint32(/* id 7, wireType 0 =*/56).bool(message.presigned);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified SignStart message, length delimited. Does not implicitly {@link tecdsa.v1.SignStart.verify|verify} messages.
             * @function encodeDelimited
             * @memberof tecdsa.v1.SignStart
             * @static
             * @param {tecdsa.v1.SignStart.$Properties} message SignStart message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SignStart.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a SignStart message from the specified reader or buffer.
             * @function decode
             * @memberof tecdsa.v1.SignStart
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {tecdsa.v1.SignStart & tecdsa.v1.SignStart.$Shape} SignStart
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SignStart.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.tecdsa.v1.SignStart();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.keyId = value;
                            else
                                delete message.keyId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.sessionId = value;
                            else
                                delete message.sessionId;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.digest = value;
                            else
                                delete message.digest;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.initiator = value;
                            else
                                delete message.initiator;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.responder = value;
                            else
                                delete message.responder;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.authorization = value;
                            else
                                delete message.authorization;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.presigned = value;
                            else
                                delete message.presigned;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a SignStart message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof tecdsa.v1.SignStart
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {tecdsa.v1.SignStart & tecdsa.v1.SignStart.$Shape} SignStart
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SignStart.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return SignStart;
        })();

        v1.PresignStart = (function() {

            /**
             * Properties of a PresignStart.
             * @typedef {Object} tecdsa.v1.PresignStart.$Properties
             * @property {Uint8Array|null} [keyId] PresignStart keyId
             * @property {Uint8Array|null} [sessionId] PresignStart sessionId
             * @property {number|null} [initiator] PresignStart initiator
             * @property {number|null} [responder] PresignStart responder
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a PresignStart.
             * @memberof tecdsa.v1
             * @interface IPresignStart
             * @augments tecdsa.v1.PresignStart.$Properties
             * @deprecated Use tecdsa.v1.PresignStart.$Properties instead.
             */

            /**
             * Shape of a PresignStart.
             * @typedef {tecdsa.v1.PresignStart.$Properties} tecdsa.v1.PresignStart.$Shape
             */

            /**
             * Constructs a new PresignStart.
             * @memberof tecdsa.v1
             * @classdesc Represents a PresignStart.
             * @constructor
             * @param {tecdsa.v1.PresignStart.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const PresignStart = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * PresignStart keyId.
             * @member {Uint8Array} keyId
             * @memberof tecdsa.v1.PresignStart
             * @instance
             */
            PresignStart.prototype.keyId = $util.newBuffer([]);

            /**
             * PresignStart sessionId.
             * @member {Uint8Array} sessionId
             * @memberof tecdsa.v1.PresignStart
             * @instance
             */
            PresignStart.prototype.sessionId = $util.newBuffer([]);

            /**
             * PresignStart initiator.
             * @member {number} initiator
             * @memberof tecdsa.v1.PresignStart
             * @instance
             */
            PresignStart.prototype.initiator = 0;

            /**
             * PresignStart responder.
             * @member {number} responder
             * @memberof tecdsa.v1.PresignStart
             * @instance
             */
            PresignStart.prototype.responder = 0;

            /**
             * Encodes the specified PresignStart message. Does not implicitly {@link tecdsa.v1.PresignStart.verify|verify} messages.
             * @function encode
             * @memberof tecdsa.v1.PresignStart
             * @static
             * @param {tecdsa.v1.PresignStart.$Properties} message PresignStart message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            PresignStart.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.keyId != null && $Object.hasOwnProperty.call(message, "keyId") && message.keyId.length)
                    writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.keyId);
                if (message.sessionId != null && $Object.hasOwnProperty.call(message, "sessionId") && message.sessionId.length)
                    writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.sessionId);
                if (message.initiator != null && $Object.hasOwnProperty.call(message, "initiator") && message.initiator !== 0)
                    writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.initiator);
                if (message.responder != null && $Object.hasOwnProperty.call(message, "responder") && message.responder !== 0)
                    writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.responder);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified PresignStart message, length delimited. Does not implicitly {@link tecdsa.v1.PresignStart.verify|verify} messages.
             * @function encodeDelimited
             * @memberof tecdsa.v1.PresignStart
             * @static
             * @param {tecdsa.v1.PresignStart.$Properties} message PresignStart message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            PresignStart.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a PresignStart message from the specified reader or buffer.
             * @function decode
             * @memberof tecdsa.v1.PresignStart
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {tecdsa.v1.PresignStart & tecdsa.v1.PresignStart.$Shape} PresignStart
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            PresignStart.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.tecdsa.v1.PresignStart();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.keyId = value;
                            else
                                delete message.keyId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.sessionId = value;
                            else
                                delete message.sessionId;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.initiator = value;
                            else
                                delete message.initiator;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.responder = value;
                            else
                                delete message.responder;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a PresignStart message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof tecdsa.v1.PresignStart
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {tecdsa.v1.PresignStart & tecdsa.v1.PresignStart.$Shape} PresignStart
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            PresignStart.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return PresignStart;
        })();

        v1.PresignDone = (function() {

            /**
             * Properties of a PresignDone.
             * @typedef {Object} tecdsa.v1.PresignDone.$Properties
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a PresignDone.
             * @memberof tecdsa.v1
             * @interface IPresignDone
             * @augments tecdsa.v1.PresignDone.$Properties
             * @deprecated Use tecdsa.v1.PresignDone.$Properties instead.
             */

            /**
             * Shape of a PresignDone.
             * @typedef {tecdsa.v1.PresignDone.$Properties} tecdsa.v1.PresignDone.$Shape
             */

            /**
             * Constructs a new PresignDone.
             * @memberof tecdsa.v1
             * @classdesc Represents a PresignDone.
             * @constructor
             * @param {tecdsa.v1.PresignDone.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const PresignDone = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Encodes the specified PresignDone message. Does not implicitly {@link tecdsa.v1.PresignDone.verify|verify} messages.
             * @function encode
             * @memberof tecdsa.v1.PresignDone
             * @static
             * @param {tecdsa.v1.PresignDone.$Properties} message PresignDone message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            PresignDone.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified PresignDone message, length delimited. Does not implicitly {@link tecdsa.v1.PresignDone.verify|verify} messages.
             * @function encodeDelimited
             * @memberof tecdsa.v1.PresignDone
             * @static
             * @param {tecdsa.v1.PresignDone.$Properties} message PresignDone message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            PresignDone.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a PresignDone message from the specified reader or buffer.
             * @function decode
             * @memberof tecdsa.v1.PresignDone
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {tecdsa.v1.PresignDone & tecdsa.v1.PresignDone.$Shape} PresignDone
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            PresignDone.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.tecdsa.v1.PresignDone();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    reader.skipType(tag & 7, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a PresignDone message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof tecdsa.v1.PresignDone
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {tecdsa.v1.PresignDone & tecdsa.v1.PresignDone.$Shape} PresignDone
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            PresignDone.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return PresignDone;
        })();

        v1.SignDone = (function() {

            /**
             * Properties of a SignDone.
             * @typedef {Object} tecdsa.v1.SignDone.$Properties
             * @property {Uint8Array|null} [partial] SignDone partial
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a SignDone.
             * @memberof tecdsa.v1
             * @interface ISignDone
             * @augments tecdsa.v1.SignDone.$Properties
             * @deprecated Use tecdsa.v1.SignDone.$Properties instead.
             */

            /**
             * Shape of a SignDone.
             * @typedef {tecdsa.v1.SignDone.$Properties} tecdsa.v1.SignDone.$Shape
             */

            /**
             * Constructs a new SignDone.
             * @memberof tecdsa.v1
             * @classdesc Represents a SignDone.
             * @constructor
             * @param {tecdsa.v1.SignDone.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const SignDone = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * SignDone partial.
             * @member {Uint8Array} partial
             * @memberof tecdsa.v1.SignDone
             * @instance
             */
            SignDone.prototype.partial = $util.newBuffer([]);

            /**
             * Encodes the specified SignDone message. Does not implicitly {@link tecdsa.v1.SignDone.verify|verify} messages.
             * @function encode
             * @memberof tecdsa.v1.SignDone
             * @static
             * @param {tecdsa.v1.SignDone.$Properties} message SignDone message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SignDone.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.partial != null && $Object.hasOwnProperty.call(message, "partial") && message.partial.length)
                    writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.partial);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified SignDone message, length delimited. Does not implicitly {@link tecdsa.v1.SignDone.verify|verify} messages.
             * @function encodeDelimited
             * @memberof tecdsa.v1.SignDone
             * @static
             * @param {tecdsa.v1.SignDone.$Properties} message SignDone message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SignDone.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a SignDone message from the specified reader or buffer.
             * @function decode
             * @memberof tecdsa.v1.SignDone
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {tecdsa.v1.SignDone & tecdsa.v1.SignDone.$Shape} SignDone
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SignDone.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.tecdsa.v1.SignDone();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.partial = value;
                            else
                                delete message.partial;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a SignDone message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof tecdsa.v1.SignDone
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {tecdsa.v1.SignDone & tecdsa.v1.SignDone.$Shape} SignDone
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SignDone.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return SignDone;
        })();

        v1.StatusRequest = (function() {

            /**
             * Properties of a StatusRequest.
             * @typedef {Object} tecdsa.v1.StatusRequest.$Properties
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a StatusRequest.
             * @memberof tecdsa.v1
             * @interface IStatusRequest
             * @augments tecdsa.v1.StatusRequest.$Properties
             * @deprecated Use tecdsa.v1.StatusRequest.$Properties instead.
             */

            /**
             * Shape of a StatusRequest.
             * @typedef {tecdsa.v1.StatusRequest.$Properties} tecdsa.v1.StatusRequest.$Shape
             */

            /**
             * Constructs a new StatusRequest.
             * @memberof tecdsa.v1
             * @classdesc Represents a StatusRequest.
             * @constructor
             * @param {tecdsa.v1.StatusRequest.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const StatusRequest = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Encodes the specified StatusRequest message. Does not implicitly {@link tecdsa.v1.StatusRequest.verify|verify} messages.
             * @function encode
             * @memberof tecdsa.v1.StatusRequest
             * @static
             * @param {tecdsa.v1.StatusRequest.$Properties} message StatusRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            StatusRequest.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified StatusRequest message, length delimited. Does not implicitly {@link tecdsa.v1.StatusRequest.verify|verify} messages.
             * @function encodeDelimited
             * @memberof tecdsa.v1.StatusRequest
             * @static
             * @param {tecdsa.v1.StatusRequest.$Properties} message StatusRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            StatusRequest.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a StatusRequest message from the specified reader or buffer.
             * @function decode
             * @memberof tecdsa.v1.StatusRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {tecdsa.v1.StatusRequest & tecdsa.v1.StatusRequest.$Shape} StatusRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            StatusRequest.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.tecdsa.v1.StatusRequest();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    reader.skipType(tag & 7, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a StatusRequest message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof tecdsa.v1.StatusRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {tecdsa.v1.StatusRequest & tecdsa.v1.StatusRequest.$Shape} StatusRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            StatusRequest.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return StatusRequest;
        })();

        v1.AdminUpdate = (function() {

            /**
             * Properties of an AdminUpdate.
             * @typedef {Object} tecdsa.v1.AdminUpdate.$Properties
             * @property {Uint8Array|null} [record] AdminUpdate record
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an AdminUpdate.
             * @memberof tecdsa.v1
             * @interface IAdminUpdate
             * @augments tecdsa.v1.AdminUpdate.$Properties
             * @deprecated Use tecdsa.v1.AdminUpdate.$Properties instead.
             */

            /**
             * Shape of an AdminUpdate.
             * @typedef {tecdsa.v1.AdminUpdate.$Properties} tecdsa.v1.AdminUpdate.$Shape
             */

            /**
             * Constructs a new AdminUpdate.
             * @memberof tecdsa.v1
             * @classdesc Represents an AdminUpdate.
             * @constructor
             * @param {tecdsa.v1.AdminUpdate.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const AdminUpdate = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * AdminUpdate record.
             * @member {Uint8Array} record
             * @memberof tecdsa.v1.AdminUpdate
             * @instance
             */
            AdminUpdate.prototype.record = $util.newBuffer([]);

            /**
             * Encodes the specified AdminUpdate message. Does not implicitly {@link tecdsa.v1.AdminUpdate.verify|verify} messages.
             * @function encode
             * @memberof tecdsa.v1.AdminUpdate
             * @static
             * @param {tecdsa.v1.AdminUpdate.$Properties} message AdminUpdate message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            AdminUpdate.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.record != null && $Object.hasOwnProperty.call(message, "record") && message.record.length)
                    writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.record);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified AdminUpdate message, length delimited. Does not implicitly {@link tecdsa.v1.AdminUpdate.verify|verify} messages.
             * @function encodeDelimited
             * @memberof tecdsa.v1.AdminUpdate
             * @static
             * @param {tecdsa.v1.AdminUpdate.$Properties} message AdminUpdate message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            AdminUpdate.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes an AdminUpdate message from the specified reader or buffer.
             * @function decode
             * @memberof tecdsa.v1.AdminUpdate
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {tecdsa.v1.AdminUpdate & tecdsa.v1.AdminUpdate.$Shape} AdminUpdate
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            AdminUpdate.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.tecdsa.v1.AdminUpdate();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.record = value;
                            else
                                delete message.record;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes an AdminUpdate message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof tecdsa.v1.AdminUpdate
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {tecdsa.v1.AdminUpdate & tecdsa.v1.AdminUpdate.$Shape} AdminUpdate
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            AdminUpdate.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return AdminUpdate;
        })();

        v1.AdminUpdateDone = (function() {

            /**
             * Properties of an AdminUpdateDone.
             * @typedef {Object} tecdsa.v1.AdminUpdateDone.$Properties
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an AdminUpdateDone.
             * @memberof tecdsa.v1
             * @interface IAdminUpdateDone
             * @augments tecdsa.v1.AdminUpdateDone.$Properties
             * @deprecated Use tecdsa.v1.AdminUpdateDone.$Properties instead.
             */

            /**
             * Shape of an AdminUpdateDone.
             * @typedef {tecdsa.v1.AdminUpdateDone.$Properties} tecdsa.v1.AdminUpdateDone.$Shape
             */

            /**
             * Constructs a new AdminUpdateDone.
             * @memberof tecdsa.v1
             * @classdesc Represents an AdminUpdateDone.
             * @constructor
             * @param {tecdsa.v1.AdminUpdateDone.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const AdminUpdateDone = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Encodes the specified AdminUpdateDone message. Does not implicitly {@link tecdsa.v1.AdminUpdateDone.verify|verify} messages.
             * @function encode
             * @memberof tecdsa.v1.AdminUpdateDone
             * @static
             * @param {tecdsa.v1.AdminUpdateDone.$Properties} message AdminUpdateDone message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            AdminUpdateDone.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified AdminUpdateDone message, length delimited. Does not implicitly {@link tecdsa.v1.AdminUpdateDone.verify|verify} messages.
             * @function encodeDelimited
             * @memberof tecdsa.v1.AdminUpdateDone
             * @static
             * @param {tecdsa.v1.AdminUpdateDone.$Properties} message AdminUpdateDone message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            AdminUpdateDone.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes an AdminUpdateDone message from the specified reader or buffer.
             * @function decode
             * @memberof tecdsa.v1.AdminUpdateDone
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {tecdsa.v1.AdminUpdateDone & tecdsa.v1.AdminUpdateDone.$Shape} AdminUpdateDone
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            AdminUpdateDone.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.tecdsa.v1.AdminUpdateDone();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    reader.skipType(tag & 7, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes an AdminUpdateDone message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof tecdsa.v1.AdminUpdateDone
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {tecdsa.v1.AdminUpdateDone & tecdsa.v1.AdminUpdateDone.$Shape} AdminUpdateDone
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            AdminUpdateDone.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return AdminUpdateDone;
        })();

        v1.ControlRequest = (function() {

            /**
             * Properties of a ControlRequest.
             * @typedef {Object} tecdsa.v1.ControlRequest.$Properties
             * @property {tecdsa.v1.StatusRequest.$Properties|null} [status] ControlRequest status
             * @property {tecdsa.v1.DkgStart.$Properties|null} [dkg] ControlRequest dkg
             * @property {tecdsa.v1.SignStart.$Properties|null} [sign] ControlRequest sign
             * @property {tecdsa.v1.AdminUpdate.$Properties|null} [admin] ControlRequest admin
             * @property {tecdsa.v1.PresignStart.$Properties|null} [presign] ControlRequest presign
             * @property {"status"|"dkg"|"sign"|"admin"|"presign"} [body] ControlRequest body
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ControlRequest.
             * @memberof tecdsa.v1
             * @interface IControlRequest
             * @augments tecdsa.v1.ControlRequest.$Properties
             * @deprecated Use tecdsa.v1.ControlRequest.$Properties instead.
             */

            /**
             * Narrowed shape of a ControlRequest.
             * @typedef {{
             *   status?: tecdsa.v1.StatusRequest.$Shape|null;
             *   dkg?: tecdsa.v1.DkgStart.$Shape|null;
             *   sign?: tecdsa.v1.SignStart.$Shape|null;
             *   admin?: tecdsa.v1.AdminUpdate.$Shape|null;
             *   presign?: tecdsa.v1.PresignStart.$Shape|null;
             *   $unknowns?: Array.<Uint8Array>;
             * } & (
             *   ({ body?: undefined; status?: null; dkg?: null; sign?: null; admin?: null; presign?: null }|{ body?: "status"; status: tecdsa.v1.StatusRequest.$Shape; dkg?: null; sign?: null; admin?: null; presign?: null }|{ body?: "dkg"; status?: null; dkg: tecdsa.v1.DkgStart.$Shape; sign?: null; admin?: null; presign?: null }|{ body?: "sign"; status?: null; dkg?: null; sign: tecdsa.v1.SignStart.$Shape; admin?: null; presign?: null }|{ body?: "admin"; status?: null; dkg?: null; sign?: null; admin: tecdsa.v1.AdminUpdate.$Shape; presign?: null }|{ body?: "presign"; status?: null; dkg?: null; sign?: null; admin?: null; presign: tecdsa.v1.PresignStart.$Shape })
             * )} tecdsa.v1.ControlRequest.$Shape
             */

            /**
             * Constructs a new ControlRequest.
             * @memberof tecdsa.v1
             * @classdesc Represents a ControlRequest.
             * @constructor
             * @param {tecdsa.v1.ControlRequest.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ControlRequest = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ControlRequest status.
             * @member {tecdsa.v1.StatusRequest.$Properties|null|undefined} status
             * @memberof tecdsa.v1.ControlRequest
             * @instance
             */
            ControlRequest.prototype.status = null;

            /**
             * ControlRequest dkg.
             * @member {tecdsa.v1.DkgStart.$Properties|null|undefined} dkg
             * @memberof tecdsa.v1.ControlRequest
             * @instance
             */
            ControlRequest.prototype.dkg = null;

            /**
             * ControlRequest sign.
             * @member {tecdsa.v1.SignStart.$Properties|null|undefined} sign
             * @memberof tecdsa.v1.ControlRequest
             * @instance
             */
            ControlRequest.prototype.sign = null;

            /**
             * ControlRequest admin.
             * @member {tecdsa.v1.AdminUpdate.$Properties|null|undefined} admin
             * @memberof tecdsa.v1.ControlRequest
             * @instance
             */
            ControlRequest.prototype.admin = null;

            /**
             * ControlRequest presign.
             * @member {tecdsa.v1.PresignStart.$Properties|null|undefined} presign
             * @memberof tecdsa.v1.ControlRequest
             * @instance
             */
            ControlRequest.prototype.presign = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            /**
             * ControlRequest body.
             * @member {"status"|"dkg"|"sign"|"admin"|"presign"|undefined} body
             * @memberof tecdsa.v1.ControlRequest
             * @instance
             */
            $Object.defineProperty(ControlRequest.prototype, "body", {
                get: $util.oneOfGetter($oneOfFields = ["status", "dkg", "sign", "admin", "presign"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Encodes the specified ControlRequest message. Does not implicitly {@link tecdsa.v1.ControlRequest.verify|verify} messages.
             * @function encode
             * @memberof tecdsa.v1.ControlRequest
             * @static
             * @param {tecdsa.v1.ControlRequest.$Properties} message ControlRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ControlRequest.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.status != null && $Object.hasOwnProperty.call(message, "status"))
                    $root.tecdsa.v1.StatusRequest.encode(message.status, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                if (message.dkg != null && $Object.hasOwnProperty.call(message, "dkg"))
                    $root.tecdsa.v1.DkgStart.encode(message.dkg, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.sign != null && $Object.hasOwnProperty.call(message, "sign"))
                    $root.tecdsa.v1.SignStart.encode(message.sign, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.admin != null && $Object.hasOwnProperty.call(message, "admin"))
                    $root.tecdsa.v1.AdminUpdate.encode(message.admin, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                if (message.presign != null && $Object.hasOwnProperty.call(message, "presign"))
                    $root.tecdsa.v1.PresignStart.encode(message.presign, writer.uint32(/* id 5, wireType 2 =*/42).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified ControlRequest message, length delimited. Does not implicitly {@link tecdsa.v1.ControlRequest.verify|verify} messages.
             * @function encodeDelimited
             * @memberof tecdsa.v1.ControlRequest
             * @static
             * @param {tecdsa.v1.ControlRequest.$Properties} message ControlRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ControlRequest.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a ControlRequest message from the specified reader or buffer.
             * @function decode
             * @memberof tecdsa.v1.ControlRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {tecdsa.v1.ControlRequest & tecdsa.v1.ControlRequest.$Shape} ControlRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ControlRequest.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.tecdsa.v1.ControlRequest();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            message.status = $root.tecdsa.v1.StatusRequest.decode(reader, reader.size(), $undefined, _depth + 1, message.status);
                            message.body = "status";
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.dkg = $root.tecdsa.v1.DkgStart.decode(reader, reader.size(), $undefined, _depth + 1, message.dkg);
                            message.body = "dkg";
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message.sign = $root.tecdsa.v1.SignStart.decode(reader, reader.size(), $undefined, _depth + 1, message.sign);
                            message.body = "sign";
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            message.admin = $root.tecdsa.v1.AdminUpdate.decode(reader, reader.size(), $undefined, _depth + 1, message.admin);
                            message.body = "admin";
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            message.presign = $root.tecdsa.v1.PresignStart.decode(reader, reader.size(), $undefined, _depth + 1, message.presign);
                            message.body = "presign";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a ControlRequest message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof tecdsa.v1.ControlRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {tecdsa.v1.ControlRequest & tecdsa.v1.ControlRequest.$Shape} ControlRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ControlRequest.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return ControlRequest;
        })();

        v1.NodeStatus = (function() {

            /**
             * Properties of a NodeStatus.
             * @typedef {Object} tecdsa.v1.NodeStatus.$Properties
             * @property {number|null} [index] NodeStatus index
             * @property {string|null} [peerId] NodeStatus peerId
             * @property {number|null} [keys] NodeStatus keys
             * @property {number|null} [sessions] NodeStatus sessions
             * @property {Array.<string>|null} [connected] NodeStatus connected
             * @property {string|null} [version] NodeStatus version
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a NodeStatus.
             * @memberof tecdsa.v1
             * @interface INodeStatus
             * @augments tecdsa.v1.NodeStatus.$Properties
             * @deprecated Use tecdsa.v1.NodeStatus.$Properties instead.
             */

            /**
             * Shape of a NodeStatus.
             * @typedef {tecdsa.v1.NodeStatus.$Properties} tecdsa.v1.NodeStatus.$Shape
             */

            /**
             * Constructs a new NodeStatus.
             * @memberof tecdsa.v1
             * @classdesc Represents a NodeStatus.
             * @constructor
             * @param {tecdsa.v1.NodeStatus.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const NodeStatus = function (properties) {
                this.connected = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * NodeStatus index.
             * @member {number} index
             * @memberof tecdsa.v1.NodeStatus
             * @instance
             */
            NodeStatus.prototype.index = 0;

            /**
             * NodeStatus peerId.
             * @member {string} peerId
             * @memberof tecdsa.v1.NodeStatus
             * @instance
             */
            NodeStatus.prototype.peerId = "";

            /**
             * NodeStatus keys.
             * @member {number} keys
             * @memberof tecdsa.v1.NodeStatus
             * @instance
             */
            NodeStatus.prototype.keys = 0;

            /**
             * NodeStatus sessions.
             * @member {number} sessions
             * @memberof tecdsa.v1.NodeStatus
             * @instance
             */
            NodeStatus.prototype.sessions = 0;

            /**
             * NodeStatus connected.
             * @member {Array.<string>} connected
             * @memberof tecdsa.v1.NodeStatus
             * @instance
             */
            NodeStatus.prototype.connected = $util.emptyArray;

            /**
             * NodeStatus version.
             * @member {string} version
             * @memberof tecdsa.v1.NodeStatus
             * @instance
             */
            NodeStatus.prototype.version = "";

            /**
             * Encodes the specified NodeStatus message. Does not implicitly {@link tecdsa.v1.NodeStatus.verify|verify} messages.
             * @function encode
             * @memberof tecdsa.v1.NodeStatus
             * @static
             * @param {tecdsa.v1.NodeStatus.$Properties} message NodeStatus message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            NodeStatus.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.index != null && $Object.hasOwnProperty.call(message, "index") && message.index !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.index);
                if (message.peerId != null && $Object.hasOwnProperty.call(message, "peerId") && message.peerId !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.peerId);
                if (message.keys != null && $Object.hasOwnProperty.call(message, "keys") && message.keys !== 0)
                    writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.keys);
                if (message.sessions != null && $Object.hasOwnProperty.call(message, "sessions") && message.sessions !== 0)
                    writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.sessions);
                if (message.connected != null && message.connected.length)
                    for (let i = 0; i < message.connected.length; ++i)
                        writer.uint32(/* id 5, wireType 2 =*/42).string(message.connected[i]);
                if (message.version != null && $Object.hasOwnProperty.call(message, "version") && message.version !== "")
                    writer.uint32(/* id 6, wireType 2 =*/50).string(message.version);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified NodeStatus message, length delimited. Does not implicitly {@link tecdsa.v1.NodeStatus.verify|verify} messages.
             * @function encodeDelimited
             * @memberof tecdsa.v1.NodeStatus
             * @static
             * @param {tecdsa.v1.NodeStatus.$Properties} message NodeStatus message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            NodeStatus.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a NodeStatus message from the specified reader or buffer.
             * @function decode
             * @memberof tecdsa.v1.NodeStatus
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {tecdsa.v1.NodeStatus & tecdsa.v1.NodeStatus.$Shape} NodeStatus
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            NodeStatus.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.tecdsa.v1.NodeStatus();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.index = value;
                            else
                                delete message.index;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.peerId = value;
                            else
                                delete message.peerId;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.keys = value;
                            else
                                delete message.keys;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.sessions = value;
                            else
                                delete message.sessions;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if (!(message.connected && message.connected.length))
                                message.connected = [];
                            message.connected.push(reader.stringVerify());
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.version = value;
                            else
                                delete message.version;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a NodeStatus message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof tecdsa.v1.NodeStatus
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {tecdsa.v1.NodeStatus & tecdsa.v1.NodeStatus.$Shape} NodeStatus
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            NodeStatus.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return NodeStatus;
        })();

        v1.Failure = (function() {

            /**
             * Properties of a Failure.
             * @typedef {Object} tecdsa.v1.Failure.$Properties
             * @property {string|null} [failureClass] Failure failureClass
             * @property {string|null} [code] Failure code
             * @property {number|null} [culprit] Failure culprit
             * @property {string|null} [message] Failure message
             * @property {number|null} [round] Failure round
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Failure.
             * @memberof tecdsa.v1
             * @interface IFailure
             * @augments tecdsa.v1.Failure.$Properties
             * @deprecated Use tecdsa.v1.Failure.$Properties instead.
             */

            /**
             * Shape of a Failure.
             * @typedef {tecdsa.v1.Failure.$Properties} tecdsa.v1.Failure.$Shape
             */

            /**
             * Constructs a new Failure.
             * @memberof tecdsa.v1
             * @classdesc Represents a Failure.
             * @constructor
             * @param {tecdsa.v1.Failure.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Failure = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Failure failureClass.
             * @member {string} failureClass
             * @memberof tecdsa.v1.Failure
             * @instance
             */
            Failure.prototype.failureClass = "";

            /**
             * Failure code.
             * @member {string} code
             * @memberof tecdsa.v1.Failure
             * @instance
             */
            Failure.prototype.code = "";

            /**
             * Failure culprit.
             * @member {number} culprit
             * @memberof tecdsa.v1.Failure
             * @instance
             */
            Failure.prototype.culprit = 0;

            /**
             * Failure message.
             * @member {string} message
             * @memberof tecdsa.v1.Failure
             * @instance
             */
            Failure.prototype.message = "";

            /**
             * Failure round.
             * @member {number} round
             * @memberof tecdsa.v1.Failure
             * @instance
             */
            Failure.prototype.round = 0;

            /**
             * Encodes the specified Failure message. Does not implicitly {@link tecdsa.v1.Failure.verify|verify} messages.
             * @function encode
             * @memberof tecdsa.v1.Failure
             * @static
             * @param {tecdsa.v1.Failure.$Properties} message Failure message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Failure.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.failureClass != null && $Object.hasOwnProperty.call(message, "failureClass") && message.failureClass !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.failureClass);
                if (message.code != null && $Object.hasOwnProperty.call(message, "code") && message.code !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.code);
                if (message.culprit != null && $Object.hasOwnProperty.call(message, "culprit") && message.culprit !== 0)
                    writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.culprit);
                if (message.message != null && $Object.hasOwnProperty.call(message, "message") && message.message !== "")
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.message);
                if (message.round != null && $Object.hasOwnProperty.call(message, "round") && message.round !== 0)
                    writer.uint32(/* id 5, wireType 0 =*/40).uint32(message.round);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified Failure message, length delimited. Does not implicitly {@link tecdsa.v1.Failure.verify|verify} messages.
             * @function encodeDelimited
             * @memberof tecdsa.v1.Failure
             * @static
             * @param {tecdsa.v1.Failure.$Properties} message Failure message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Failure.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a Failure message from the specified reader or buffer.
             * @function decode
             * @memberof tecdsa.v1.Failure
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {tecdsa.v1.Failure & tecdsa.v1.Failure.$Shape} Failure
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Failure.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.tecdsa.v1.Failure();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.failureClass = value;
                            else
                                delete message.failureClass;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.code = value;
                            else
                                delete message.code;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.culprit = value;
                            else
                                delete message.culprit;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.message = value;
                            else
                                delete message.message;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.round = value;
                            else
                                delete message.round;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a Failure message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof tecdsa.v1.Failure
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {tecdsa.v1.Failure & tecdsa.v1.Failure.$Shape} Failure
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Failure.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return Failure;
        })();

        v1.Progress = (function() {

            /**
             * Properties of a Progress.
             * @typedef {Object} tecdsa.v1.Progress.$Properties
             * @property {number|null} [round] Progress round
             * @property {number|null} [rounds] Progress rounds
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Progress.
             * @memberof tecdsa.v1
             * @interface IProgress
             * @augments tecdsa.v1.Progress.$Properties
             * @deprecated Use tecdsa.v1.Progress.$Properties instead.
             */

            /**
             * Shape of a Progress.
             * @typedef {tecdsa.v1.Progress.$Properties} tecdsa.v1.Progress.$Shape
             */

            /**
             * Constructs a new Progress.
             * @memberof tecdsa.v1
             * @classdesc Represents a Progress.
             * @constructor
             * @param {tecdsa.v1.Progress.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Progress = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Progress round.
             * @member {number} round
             * @memberof tecdsa.v1.Progress
             * @instance
             */
            Progress.prototype.round = 0;

            /**
             * Progress rounds.
             * @member {number} rounds
             * @memberof tecdsa.v1.Progress
             * @instance
             */
            Progress.prototype.rounds = 0;

            /**
             * Encodes the specified Progress message. Does not implicitly {@link tecdsa.v1.Progress.verify|verify} messages.
             * @function encode
             * @memberof tecdsa.v1.Progress
             * @static
             * @param {tecdsa.v1.Progress.$Properties} message Progress message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Progress.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.round != null && $Object.hasOwnProperty.call(message, "round") && message.round !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.round);
                if (message.rounds != null && $Object.hasOwnProperty.call(message, "rounds") && message.rounds !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.rounds);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified Progress message, length delimited. Does not implicitly {@link tecdsa.v1.Progress.verify|verify} messages.
             * @function encodeDelimited
             * @memberof tecdsa.v1.Progress
             * @static
             * @param {tecdsa.v1.Progress.$Properties} message Progress message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Progress.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a Progress message from the specified reader or buffer.
             * @function decode
             * @memberof tecdsa.v1.Progress
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {tecdsa.v1.Progress & tecdsa.v1.Progress.$Shape} Progress
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Progress.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.tecdsa.v1.Progress();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.round = value;
                            else
                                delete message.round;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.rounds = value;
                            else
                                delete message.rounds;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a Progress message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof tecdsa.v1.Progress
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {tecdsa.v1.Progress & tecdsa.v1.Progress.$Shape} Progress
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Progress.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return Progress;
        })();

        v1.ControlResponse = (function() {

            /**
             * Properties of a ControlResponse.
             * @typedef {Object} tecdsa.v1.ControlResponse.$Properties
             * @property {tecdsa.v1.NodeStatus.$Properties|null} [status] ControlResponse status
             * @property {tecdsa.v1.DkgDone.$Properties|null} [dkg] ControlResponse dkg
             * @property {tecdsa.v1.SignDone.$Properties|null} [sign] ControlResponse sign
             * @property {tecdsa.v1.Failure.$Properties|null} [failure] ControlResponse failure
             * @property {tecdsa.v1.Progress.$Properties|null} [progress] ControlResponse progress
             * @property {tecdsa.v1.AdminUpdateDone.$Properties|null} [admin] ControlResponse admin
             * @property {tecdsa.v1.PresignDone.$Properties|null} [presign] ControlResponse presign
             * @property {"status"|"dkg"|"sign"|"failure"|"progress"|"admin"|"presign"} [body] ControlResponse body
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ControlResponse.
             * @memberof tecdsa.v1
             * @interface IControlResponse
             * @augments tecdsa.v1.ControlResponse.$Properties
             * @deprecated Use tecdsa.v1.ControlResponse.$Properties instead.
             */

            /**
             * Narrowed shape of a ControlResponse.
             * @typedef {{
             *   status?: tecdsa.v1.NodeStatus.$Shape|null;
             *   dkg?: tecdsa.v1.DkgDone.$Shape|null;
             *   sign?: tecdsa.v1.SignDone.$Shape|null;
             *   failure?: tecdsa.v1.Failure.$Shape|null;
             *   progress?: tecdsa.v1.Progress.$Shape|null;
             *   admin?: tecdsa.v1.AdminUpdateDone.$Shape|null;
             *   presign?: tecdsa.v1.PresignDone.$Shape|null;
             *   $unknowns?: Array.<Uint8Array>;
             * } & (
             *   ({ body?: undefined; status?: null; dkg?: null; sign?: null; failure?: null; progress?: null; admin?: null; presign?: null }|{ body?: "status"; status: tecdsa.v1.NodeStatus.$Shape; dkg?: null; sign?: null; failure?: null; progress?: null; admin?: null; presign?: null }|{ body?: "dkg"; status?: null; dkg: tecdsa.v1.DkgDone.$Shape; sign?: null; failure?: null; progress?: null; admin?: null; presign?: null }|{ body?: "sign"; status?: null; dkg?: null; sign: tecdsa.v1.SignDone.$Shape; failure?: null; progress?: null; admin?: null; presign?: null }|{ body?: "failure"; status?: null; dkg?: null; sign?: null; failure: tecdsa.v1.Failure.$Shape; progress?: null; admin?: null; presign?: null }|{ body?: "progress"; status?: null; dkg?: null; sign?: null; failure?: null; progress: tecdsa.v1.Progress.$Shape; admin?: null; presign?: null }|{ body?: "admin"; status?: null; dkg?: null; sign?: null; failure?: null; progress?: null; admin: tecdsa.v1.AdminUpdateDone.$Shape; presign?: null }|{ body?: "presign"; status?: null; dkg?: null; sign?: null; failure?: null; progress?: null; admin?: null; presign: tecdsa.v1.PresignDone.$Shape })
             * )} tecdsa.v1.ControlResponse.$Shape
             */

            /**
             * Constructs a new ControlResponse.
             * @memberof tecdsa.v1
             * @classdesc Represents a ControlResponse.
             * @constructor
             * @param {tecdsa.v1.ControlResponse.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ControlResponse = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ControlResponse status.
             * @member {tecdsa.v1.NodeStatus.$Properties|null|undefined} status
             * @memberof tecdsa.v1.ControlResponse
             * @instance
             */
            ControlResponse.prototype.status = null;

            /**
             * ControlResponse dkg.
             * @member {tecdsa.v1.DkgDone.$Properties|null|undefined} dkg
             * @memberof tecdsa.v1.ControlResponse
             * @instance
             */
            ControlResponse.prototype.dkg = null;

            /**
             * ControlResponse sign.
             * @member {tecdsa.v1.SignDone.$Properties|null|undefined} sign
             * @memberof tecdsa.v1.ControlResponse
             * @instance
             */
            ControlResponse.prototype.sign = null;

            /**
             * ControlResponse failure.
             * @member {tecdsa.v1.Failure.$Properties|null|undefined} failure
             * @memberof tecdsa.v1.ControlResponse
             * @instance
             */
            ControlResponse.prototype.failure = null;

            /**
             * ControlResponse progress.
             * @member {tecdsa.v1.Progress.$Properties|null|undefined} progress
             * @memberof tecdsa.v1.ControlResponse
             * @instance
             */
            ControlResponse.prototype.progress = null;

            /**
             * ControlResponse admin.
             * @member {tecdsa.v1.AdminUpdateDone.$Properties|null|undefined} admin
             * @memberof tecdsa.v1.ControlResponse
             * @instance
             */
            ControlResponse.prototype.admin = null;

            /**
             * ControlResponse presign.
             * @member {tecdsa.v1.PresignDone.$Properties|null|undefined} presign
             * @memberof tecdsa.v1.ControlResponse
             * @instance
             */
            ControlResponse.prototype.presign = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            /**
             * ControlResponse body.
             * @member {"status"|"dkg"|"sign"|"failure"|"progress"|"admin"|"presign"|undefined} body
             * @memberof tecdsa.v1.ControlResponse
             * @instance
             */
            $Object.defineProperty(ControlResponse.prototype, "body", {
                get: $util.oneOfGetter($oneOfFields = ["status", "dkg", "sign", "failure", "progress", "admin", "presign"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Encodes the specified ControlResponse message. Does not implicitly {@link tecdsa.v1.ControlResponse.verify|verify} messages.
             * @function encode
             * @memberof tecdsa.v1.ControlResponse
             * @static
             * @param {tecdsa.v1.ControlResponse.$Properties} message ControlResponse message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ControlResponse.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.status != null && $Object.hasOwnProperty.call(message, "status"))
                    $root.tecdsa.v1.NodeStatus.encode(message.status, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                if (message.dkg != null && $Object.hasOwnProperty.call(message, "dkg"))
                    $root.tecdsa.v1.DkgDone.encode(message.dkg, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.sign != null && $Object.hasOwnProperty.call(message, "sign"))
                    $root.tecdsa.v1.SignDone.encode(message.sign, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.failure != null && $Object.hasOwnProperty.call(message, "failure"))
                    $root.tecdsa.v1.Failure.encode(message.failure, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                if (message.progress != null && $Object.hasOwnProperty.call(message, "progress"))
                    $root.tecdsa.v1.Progress.encode(message.progress, writer.uint32(/* id 5, wireType 2 =*/42).fork(), _depth + 1).ldelim();
                if (message.admin != null && $Object.hasOwnProperty.call(message, "admin"))
                    $root.tecdsa.v1.AdminUpdateDone.encode(message.admin, writer.uint32(/* id 6, wireType 2 =*/50).fork(), _depth + 1).ldelim();
                if (message.presign != null && $Object.hasOwnProperty.call(message, "presign"))
                    $root.tecdsa.v1.PresignDone.encode(message.presign, writer.uint32(/* id 7, wireType 2 =*/58).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified ControlResponse message, length delimited. Does not implicitly {@link tecdsa.v1.ControlResponse.verify|verify} messages.
             * @function encodeDelimited
             * @memberof tecdsa.v1.ControlResponse
             * @static
             * @param {tecdsa.v1.ControlResponse.$Properties} message ControlResponse message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ControlResponse.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a ControlResponse message from the specified reader or buffer.
             * @function decode
             * @memberof tecdsa.v1.ControlResponse
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {tecdsa.v1.ControlResponse & tecdsa.v1.ControlResponse.$Shape} ControlResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ControlResponse.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.tecdsa.v1.ControlResponse();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            message.status = $root.tecdsa.v1.NodeStatus.decode(reader, reader.size(), $undefined, _depth + 1, message.status);
                            message.body = "status";
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.dkg = $root.tecdsa.v1.DkgDone.decode(reader, reader.size(), $undefined, _depth + 1, message.dkg);
                            message.body = "dkg";
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message.sign = $root.tecdsa.v1.SignDone.decode(reader, reader.size(), $undefined, _depth + 1, message.sign);
                            message.body = "sign";
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            message.failure = $root.tecdsa.v1.Failure.decode(reader, reader.size(), $undefined, _depth + 1, message.failure);
                            message.body = "failure";
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            message.progress = $root.tecdsa.v1.Progress.decode(reader, reader.size(), $undefined, _depth + 1, message.progress);
                            message.body = "progress";
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            message.admin = $root.tecdsa.v1.AdminUpdateDone.decode(reader, reader.size(), $undefined, _depth + 1, message.admin);
                            message.body = "admin";
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            message.presign = $root.tecdsa.v1.PresignDone.decode(reader, reader.size(), $undefined, _depth + 1, message.presign);
                            message.body = "presign";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a ControlResponse message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof tecdsa.v1.ControlResponse
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {tecdsa.v1.ControlResponse & tecdsa.v1.ControlResponse.$Shape} ControlResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ControlResponse.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return ControlResponse;
        })();

        return v1;
    })();

    return tecdsa;
})();

export {
  $root as default
};
