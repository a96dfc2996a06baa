import * as $protobuf from "protobufjs/minimal.js";
import Long = require("long");

/** Namespace tecdsa. */
export namespace tecdsa {

    /** Namespace v1. */
    namespace v1 {

        /** ProtocolKind enum. */
        enum ProtocolKind {

            /** PROTOCOL_UNSPECIFIED value */
            PROTOCOL_UNSPECIFIED = 0,

            /** DKG value */
            DKG = 1,

            /** SIGN value */
            SIGN = 2,

            /** HISTORY value */
            HISTORY = 3,

            /** PRESIGN value */
            PRESIGN = 4
        }

        /**
         * Properties of an Envelope.
         * @deprecated Use tecdsa.v1.Envelope.$Properties instead.
         */
        interface IEnvelope extends tecdsa.v1.Envelope.$Properties {
        }

        /** Represents an Envelope. */
        class Envelope {

            /**
             * Constructs a new Envelope.
             * @param [properties] Properties to set
             */
            constructor(properties?: tecdsa.v1.Envelope.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Envelope sessionId. */
            sessionId: Uint8Array;

            /** Envelope protocol. */
            protocol: tecdsa.v1.ProtocolKind;

            /** Envelope round. */
            round: number;

            /** Envelope from. */
            from: number;

            /** Envelope to. */
            to: number;

            /** Envelope payload. */
            payload: Uint8Array;

            /** Envelope signature. */
            signature: Uint8Array;

            /**
             * Encodes the specified Envelope message. Does not implicitly {@link tecdsa.v1.Envelope.verify|verify} messages.
             * @param message Envelope message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: tecdsa.v1.Envelope.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified Envelope message, length delimited. Does not implicitly {@link tecdsa.v1.Envelope.verify|verify} messages.
             * @param message Envelope message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: tecdsa.v1.Envelope.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an Envelope message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {tecdsa.v1.Envelope & tecdsa.v1.Envelope.$Shape} Envelope
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tecdsa.v1.Envelope & tecdsa.v1.Envelope.$Shape;

            /**
             * Decodes an Envelope message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {tecdsa.v1.Envelope & tecdsa.v1.Envelope.$Shape} Envelope
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tecdsa.v1.Envelope & tecdsa.v1.Envelope.$Shape;
        }

        namespace Envelope {

            /** Properties of an Envelope. */
            interface $Properties {

                /** Envelope sessionId */
                sessionId?: (Uint8Array|null);

                /** Envelope protocol */
                protocol?: (tecdsa.v1.ProtocolKind|null);

                /** Envelope round */
                round?: (number|null);

                /** Envelope from */
                from?: (number|null);

                /** Envelope to */
                to?: (number|null);

                /** Envelope payload */
                payload?: (Uint8Array|null);

                /** Envelope signature */
                signature?: (Uint8Array|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an Envelope. */
            type $Shape = tecdsa.v1.Envelope.$Properties;
        }

        /**
         * Properties of a DkgParty.
         * @deprecated Use tecdsa.v1.DkgParty.$Properties instead.
         */
        interface IDkgParty extends tecdsa.v1.DkgParty.$Properties {
        }

        /** Represents a DkgParty. */
        class DkgParty {

            /**
             * Constructs a new DkgParty.
             * @param [properties] Properties to set
             */
            constructor(properties?: tecdsa.v1.DkgParty.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** DkgParty index. */
            index: number;

            /** DkgParty peerId. */
            peerId: string;

            /**
             * Encodes the specified DkgParty message. Does not implicitly {@link tecdsa.v1.DkgParty.verify|verify} messages.
             * @param message DkgParty message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: tecdsa.v1.DkgParty.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified DkgParty message, length delimited. Does not implicitly {@link tecdsa.v1.DkgParty.verify|verify} messages.
             * @param message DkgParty message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: tecdsa.v1.DkgParty.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a DkgParty message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {tecdsa.v1.DkgParty & tecdsa.v1.DkgParty.$Shape} DkgParty
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tecdsa.v1.DkgParty & tecdsa.v1.DkgParty.$Shape;

            /**
             * Decodes a DkgParty message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {tecdsa.v1.DkgParty & tecdsa.v1.DkgParty.$Shape} DkgParty
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tecdsa.v1.DkgParty & tecdsa.v1.DkgParty.$Shape;
        }

        namespace DkgParty {

            /** Properties of a DkgParty. */
            interface $Properties {

                /** DkgParty index */
                index?: (number|null);

                /** DkgParty peerId */
                peerId?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a DkgParty. */
            type $Shape = tecdsa.v1.DkgParty.$Properties;
        }

        /**
         * Properties of a DkgStart.
         * @deprecated Use tecdsa.v1.DkgStart.$Properties instead.
         */
        interface IDkgStart extends tecdsa.v1.DkgStart.$Properties {
        }

        /** Represents a DkgStart. */
        class DkgStart {

            /**
             * Constructs a new DkgStart.
             * @param [properties] Properties to set
             */
            constructor(properties?: tecdsa.v1.DkgStart.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** DkgStart sessionId. */
            sessionId: Uint8Array;

            /** DkgStart threshold. */
            threshold: number;

            /** DkgStart parties. */
            parties: tecdsa.v1.DkgParty.$Properties[];

            /** DkgStart name. */
            name: string;

            /**
             * Encodes the specified DkgStart message. Does not implicitly {@link tecdsa.v1.DkgStart.verify|verify} messages.
             * @param message DkgStart message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: tecdsa.v1.DkgStart.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified DkgStart message, length delimited. Does not implicitly {@link tecdsa.v1.DkgStart.verify|verify} messages.
             * @param message DkgStart message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: tecdsa.v1.DkgStart.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a DkgStart message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {tecdsa.v1.DkgStart & tecdsa.v1.DkgStart.$Shape} DkgStart
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tecdsa.v1.DkgStart & tecdsa.v1.DkgStart.$Shape;

            /**
             * Decodes a DkgStart message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {tecdsa.v1.DkgStart & tecdsa.v1.DkgStart.$Shape} DkgStart
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tecdsa.v1.DkgStart & tecdsa.v1.DkgStart.$Shape;
        }

        namespace DkgStart {

            /** Properties of a DkgStart. */
            interface $Properties {

                /** DkgStart sessionId */
                sessionId?: (Uint8Array|null);

                /** DkgStart threshold */
                threshold?: (number|null);

                /** DkgStart parties */
                parties?: (tecdsa.v1.DkgParty.$Properties[]|null);

                /** DkgStart name */
                name?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a DkgStart. */
            type $Shape = tecdsa.v1.DkgStart.$Properties;
        }

        /**
         * Properties of a DkgDone.
         * @deprecated Use tecdsa.v1.DkgDone.$Properties instead.
         */
        interface IDkgDone extends tecdsa.v1.DkgDone.$Properties {
        }

        /** Represents a DkgDone. */
        class DkgDone {

            /**
             * Constructs a new DkgDone.
             * @param [properties] Properties to set
             */
            constructor(properties?: tecdsa.v1.DkgDone.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** DkgDone keyId. */
            keyId: Uint8Array;

            /** DkgDone publicKey. */
            publicKey: Uint8Array;

            /** DkgDone publicShares. */
            publicShares: Uint8Array[];

            /** DkgDone index. */
            index: number;

            /**
             * Encodes the specified DkgDone message. Does not implicitly {@link tecdsa.v1.DkgDone.verify|verify} messages.
             * @param message DkgDone message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: tecdsa.v1.DkgDone.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified DkgDone message, length delimited. Does not implicitly {@link tecdsa.v1.DkgDone.verify|verify} messages.
             * @param message DkgDone message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: tecdsa.v1.DkgDone.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a DkgDone message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {tecdsa.v1.DkgDone & tecdsa.v1.DkgDone.$Shape} DkgDone
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tecdsa.v1.DkgDone & tecdsa.v1.DkgDone.$Shape;

            /**
             * Decodes a DkgDone message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {tecdsa.v1.DkgDone & tecdsa.v1.DkgDone.$Shape} DkgDone
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tecdsa.v1.DkgDone & tecdsa.v1.DkgDone.$Shape;
        }

        namespace DkgDone {

            /** Properties of a DkgDone. */
            interface $Properties {

                /** DkgDone keyId */
                keyId?: (Uint8Array|null);

                /** DkgDone publicKey */
                publicKey?: (Uint8Array|null);

                /** DkgDone publicShares */
                publicShares?: (Uint8Array[]|null);

                /** DkgDone index */
                index?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a DkgDone. */
            type $Shape = tecdsa.v1.DkgDone.$Properties;
        }

        /**
         * Properties of a SignStart.
         * @deprecated Use tecdsa.v1.SignStart.$Properties instead.
         */
        interface ISignStart extends tecdsa.v1.SignStart.$Properties {
        }

        /** Represents a SignStart. */
        class SignStart {

            /**
             * Constructs a new SignStart.
             * @param [properties] Properties to set
             */
            constructor(properties?: tecdsa.v1.SignStart.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** SignStart keyId. */
            keyId: Uint8Array;

            /** SignStart sessionId. */
            sessionId: Uint8Array;

            /** SignStart digest. */
            digest: Uint8Array;

            /** SignStart initiator. */
            initiator: number;

            /** SignStart responder. */
            responder: number;

            /** SignStart authorization. */
            authorization: Uint8Array;

            /** SignStart presigned. */
            presigned: boolean;

            /**
             * Encodes the specified SignStart message. Does not implicitly {@link tecdsa.v1.SignStart.verify|verify} messages.
             * @param message SignStart message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: tecdsa.v1.SignStart.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified SignStart message, length delimited. Does not implicitly {@link tecdsa.v1.SignStart.verify|verify} messages.
             * @param message SignStart message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: tecdsa.v1.SignStart.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a SignStart message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {tecdsa.v1.SignStart & tecdsa.v1.SignStart.$Shape} SignStart
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tecdsa.v1.SignStart & tecdsa.v1.SignStart.$Shape;

            /**
             * Decodes a SignStart message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {tecdsa.v1.SignStart & tecdsa.v1.SignStart.$Shape} SignStart
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tecdsa.v1.SignStart & tecdsa.v1.SignStart.$Shape;
        }

        namespace SignStart {

            /** Properties of a SignStart. */
            interface $Properties {

                /** SignStart keyId */
                keyId?: (Uint8Array|null);

                /** SignStart sessionId */
                sessionId?: (Uint8Array|null);

                /** SignStart digest */
                digest?: (Uint8Array|null);

                /** SignStart initiator */
                initiator?: (number|null);

                /** SignStart responder */
                responder?: (number|null);

                /** SignStart authorization */
                authorization?: (Uint8Array|null);

                /** SignStart presigned */
                presigned?: (boolean|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a SignStart. */
            type $Shape = tecdsa.v1.SignStart.$Properties;
        }

        /**
         * Properties of a PresignStart.
         * @deprecated Use tecdsa.v1.PresignStart.$Properties instead.
         */
        interface IPresignStart extends tecdsa.v1.PresignStart.$Properties {
        }

        /** Represents a PresignStart. */
        class PresignStart {

            /**
             * Constructs a new PresignStart.
             * @param [properties] Properties to set
             */
            constructor(properties?: tecdsa.v1.PresignStart.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** PresignStart keyId. */
            keyId: Uint8Array;

            /** PresignStart sessionId. */
            sessionId: Uint8Array;

            /** PresignStart initiator. */
            initiator: number;

            /** PresignStart responder. */
            responder: number;

            /**
             * Encodes the specified PresignStart message. Does not implicitly {@link tecdsa.v1.PresignStart.verify|verify} messages.
             * @param message PresignStart message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: tecdsa.v1.PresignStart.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified PresignStart message, length delimited. Does not implicitly {@link tecdsa.v1.PresignStart.verify|verify} messages.
             * @param message PresignStart message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: tecdsa.v1.PresignStart.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a PresignStart message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {tecdsa.v1.PresignStart & tecdsa.v1.PresignStart.$Shape} PresignStart
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tecdsa.v1.PresignStart & tecdsa.v1.PresignStart.$Shape;

            /**
             * Decodes a PresignStart message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {tecdsa.v1.PresignStart & tecdsa.v1.PresignStart.$Shape} PresignStart
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tecdsa.v1.PresignStart & tecdsa.v1.PresignStart.$Shape;
        }

        namespace PresignStart {

            /** Properties of a PresignStart. */
            interface $Properties {

                /** PresignStart keyId */
                keyId?: (Uint8Array|null);

                /** PresignStart sessionId */
                sessionId?: (Uint8Array|null);

                /** PresignStart initiator */
                initiator?: (number|null);

                /** PresignStart responder */
                responder?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a PresignStart. */
            type $Shape = tecdsa.v1.PresignStart.$Properties;
        }

        /**
         * Properties of a PresignDone.
         * @deprecated Use tecdsa.v1.PresignDone.$Properties instead.
         */
        interface IPresignDone extends tecdsa.v1.PresignDone.$Properties {
        }

        /** Represents a PresignDone. */
        class PresignDone {

            /**
             * Constructs a new PresignDone.
             * @param [properties] Properties to set
             */
            constructor(properties?: tecdsa.v1.PresignDone.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /**
             * Encodes the specified PresignDone message. Does not implicitly {@link tecdsa.v1.PresignDone.verify|verify} messages.
             * @param message PresignDone message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: tecdsa.v1.PresignDone.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified PresignDone message, length delimited. Does not implicitly {@link tecdsa.v1.PresignDone.verify|verify} messages.
             * @param message PresignDone message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: tecdsa.v1.PresignDone.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a PresignDone message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {tecdsa.v1.PresignDone & tecdsa.v1.PresignDone.$Shape} PresignDone
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tecdsa.v1.PresignDone & tecdsa.v1.PresignDone.$Shape;

            /**
             * Decodes a PresignDone message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {tecdsa.v1.PresignDone & tecdsa.v1.PresignDone.$Shape} PresignDone
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tecdsa.v1.PresignDone & tecdsa.v1.PresignDone.$Shape;
        }

        namespace PresignDone {

            /** Properties of a PresignDone. */
            interface $Properties {

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a PresignDone. */
            type $Shape = tecdsa.v1.PresignDone.$Properties;
        }

        /**
         * Properties of a SignDone.
         * @deprecated Use tecdsa.v1.SignDone.$Properties instead.
         */
        interface ISignDone extends tecdsa.v1.SignDone.$Properties {
        }

        /** Represents a SignDone. */
        class SignDone {

            /**
             * Constructs a new SignDone.
             * @param [properties] Properties to set
             */
            constructor(properties?: tecdsa.v1.SignDone.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** SignDone partial. */
            partial: Uint8Array;

            /**
             * Encodes the specified SignDone message. Does not implicitly {@link tecdsa.v1.SignDone.verify|verify} messages.
             * @param message SignDone message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: tecdsa.v1.SignDone.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified SignDone message, length delimited. Does not implicitly {@link tecdsa.v1.SignDone.verify|verify} messages.
             * @param message SignDone message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: tecdsa.v1.SignDone.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a SignDone message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {tecdsa.v1.SignDone & tecdsa.v1.SignDone.$Shape} SignDone
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tecdsa.v1.SignDone & tecdsa.v1.SignDone.$Shape;

            /**
             * Decodes a SignDone message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {tecdsa.v1.SignDone & tecdsa.v1.SignDone.$Shape} SignDone
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tecdsa.v1.SignDone & tecdsa.v1.SignDone.$Shape;
        }

        namespace SignDone {

            /** Properties of a SignDone. */
            interface $Properties {

                /** SignDone partial */
                partial?: (Uint8Array|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a SignDone. */
            type $Shape = tecdsa.v1.SignDone.$Properties;
        }

        /**
         * Properties of a StatusRequest.
         * @deprecated Use tecdsa.v1.StatusRequest.$Properties instead.
         */
        interface IStatusRequest extends tecdsa.v1.StatusRequest.$Properties {
        }

        /** Represents a StatusRequest. */
        class StatusRequest {

            /**
             * Constructs a new StatusRequest.
             * @param [properties] Properties to set
             */
            constructor(properties?: tecdsa.v1.StatusRequest.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /**
             * Encodes the specified StatusRequest message. Does not implicitly {@link tecdsa.v1.StatusRequest.verify|verify} messages.
             * @param message StatusRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: tecdsa.v1.StatusRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified StatusRequest message, length delimited. Does not implicitly {@link tecdsa.v1.StatusRequest.verify|verify} messages.
             * @param message StatusRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: tecdsa.v1.StatusRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a StatusRequest message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {tecdsa.v1.StatusRequest & tecdsa.v1.StatusRequest.$Shape} StatusRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tecdsa.v1.StatusRequest & tecdsa.v1.StatusRequest.$Shape;

            /**
             * Decodes a StatusRequest message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {tecdsa.v1.StatusRequest & tecdsa.v1.StatusRequest.$Shape} StatusRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tecdsa.v1.StatusRequest & tecdsa.v1.StatusRequest.$Shape;
        }

        namespace StatusRequest {

            /** Properties of a StatusRequest. */
            interface $Properties {

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a StatusRequest. */
            type $Shape = tecdsa.v1.StatusRequest.$Properties;
        }

        /**
         * Properties of an AdminUpdate.
         * @deprecated Use tecdsa.v1.AdminUpdate.$Properties instead.
         */
        interface IAdminUpdate extends tecdsa.v1.AdminUpdate.$Properties {
        }

        /** Represents an AdminUpdate. */
        class AdminUpdate {

            /**
             * Constructs a new AdminUpdate.
             * @param [properties] Properties to set
             */
            constructor(properties?: tecdsa.v1.AdminUpdate.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** AdminUpdate record. */
            record: Uint8Array;

            /**
             * Encodes the specified AdminUpdate message. Does not implicitly {@link tecdsa.v1.AdminUpdate.verify|verify} messages.
             * @param message AdminUpdate message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: tecdsa.v1.AdminUpdate.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified AdminUpdate message, length delimited. Does not implicitly {@link tecdsa.v1.AdminUpdate.verify|verify} messages.
             * @param message AdminUpdate message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: tecdsa.v1.AdminUpdate.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an AdminUpdate message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {tecdsa.v1.AdminUpdate & tecdsa.v1.AdminUpdate.$Shape} AdminUpdate
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tecdsa.v1.AdminUpdate & tecdsa.v1.AdminUpdate.$Shape;

            /**
             * Decodes an AdminUpdate message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {tecdsa.v1.AdminUpdate & tecdsa.v1.AdminUpdate.$Shape} AdminUpdate
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tecdsa.v1.AdminUpdate & tecdsa.v1.AdminUpdate.$Shape;
        }

        namespace AdminUpdate {

            /** Properties of an AdminUpdate. */
            interface $Properties {

                /** AdminUpdate record */
                record?: (Uint8Array|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an AdminUpdate. */
            type $Shape = tecdsa.v1.AdminUpdate.$Properties;
        }

        /**
         * Properties of an AdminUpdateDone.
         * @deprecated Use tecdsa.v1.AdminUpdateDone.$Properties instead.
         */
        interface IAdminUpdateDone extends tecdsa.v1.AdminUpdateDone.$Properties {
        }

        /** Represents an AdminUpdateDone. */
        class AdminUpdateDone {

            /**
             * Constructs a new AdminUpdateDone.
             * @param [properties] Properties to set
             */
            constructor(properties?: tecdsa.v1.AdminUpdateDone.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /**
             * Encodes the specified AdminUpdateDone message. Does not implicitly {@link tecdsa.v1.AdminUpdateDone.verify|verify} messages.
             * @param message AdminUpdateDone message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: tecdsa.v1.AdminUpdateDone.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified AdminUpdateDone message, length delimited. Does not implicitly {@link tecdsa.v1.AdminUpdateDone.verify|verify} messages.
             * @param message AdminUpdateDone message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: tecdsa.v1.AdminUpdateDone.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an AdminUpdateDone message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {tecdsa.v1.AdminUpdateDone & tecdsa.v1.AdminUpdateDone.$Shape} AdminUpdateDone
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tecdsa.v1.AdminUpdateDone & tecdsa.v1.AdminUpdateDone.$Shape;

            /**
             * Decodes an AdminUpdateDone message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {tecdsa.v1.AdminUpdateDone & tecdsa.v1.AdminUpdateDone.$Shape} AdminUpdateDone
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tecdsa.v1.AdminUpdateDone & tecdsa.v1.AdminUpdateDone.$Shape;
        }

        namespace AdminUpdateDone {

            /** Properties of an AdminUpdateDone. */
            interface $Properties {

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an AdminUpdateDone. */
            type $Shape = tecdsa.v1.AdminUpdateDone.$Properties;
        }

        /**
         * Properties of a ControlRequest.
         * @deprecated Use tecdsa.v1.ControlRequest.$Properties instead.
         */
        interface IControlRequest extends tecdsa.v1.ControlRequest.$Properties {
        }

        /** Represents a ControlRequest. */
        class ControlRequest {

            /**
             * Constructs a new ControlRequest.
             * @param [properties] Properties to set
             */
            constructor(properties?: tecdsa.v1.ControlRequest.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ControlRequest status. */
            status?: (tecdsa.v1.StatusRequest.$Properties|null);

            /** ControlRequest dkg. */
            dkg?: (tecdsa.v1.DkgStart.$Properties|null);

            /** ControlRequest sign. */
            sign?: (tecdsa.v1.SignStart.$Properties|null);

            /** ControlRequest admin. */
            admin?: (tecdsa.v1.AdminUpdate.$Properties|null);

            /** ControlRequest presign. */
            presign?: (tecdsa.v1.PresignStart.$Properties|null);

            /** ControlRequest body. */
            body?: ("status"|"dkg"|"sign"|"admin"|"presign");

            /**
             * Encodes the specified ControlRequest message. Does not implicitly {@link tecdsa.v1.ControlRequest.verify|verify} messages.
             * @param message ControlRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: tecdsa.v1.ControlRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified ControlRequest message, length delimited. Does not implicitly {@link tecdsa.v1.ControlRequest.verify|verify} messages.
             * @param message ControlRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: tecdsa.v1.ControlRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ControlRequest message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {tecdsa.v1.ControlRequest & tecdsa.v1.ControlRequest.$Shape} ControlRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tecdsa.v1.ControlRequest & tecdsa.v1.ControlRequest.$Shape;

            /**
             * Decodes a ControlRequest message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {tecdsa.v1.ControlRequest & tecdsa.v1.ControlRequest.$Shape} ControlRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tecdsa.v1.ControlRequest & tecdsa.v1.ControlRequest.$Shape;
        }

        namespace ControlRequest {

            /** Properties of a ControlRequest. */
            interface $Properties {

                /** ControlRequest status */
                status?: (tecdsa.v1.StatusRequest.$Properties|null);

                /** ControlRequest dkg */
                dkg?: (tecdsa.v1.DkgStart.$Properties|null);

                /** ControlRequest sign */
                sign?: (tecdsa.v1.SignStart.$Properties|null);

                /** ControlRequest admin */
                admin?: (tecdsa.v1.AdminUpdate.$Properties|null);

                /** ControlRequest presign */
                presign?: (tecdsa.v1.PresignStart.$Properties|null);

                /** ControlRequest body */
                body?: ("status"|"dkg"|"sign"|"admin"|"presign");

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Narrowed shape of a ControlRequest. */
            type $Shape = {
              status?: tecdsa.v1.StatusRequest.$Shape|null;
              dkg?: tecdsa.v1.DkgStart.$Shape|null;
              sign?: tecdsa.v1.SignStart.$Shape|null;
              admin?: tecdsa.v1.AdminUpdate.$Shape|null;
              presign?: tecdsa.v1.PresignStart.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ body?: undefined; status?: null; dkg?: null; sign?: null; admin?: null; presign?: null }|{ body?: "status"; status: tecdsa.v1.StatusRequest.$Shape; dkg?: null; sign?: null; admin?: null; presign?: null }|{ body?: "dkg"; status?: null; dkg: tecdsa.v1.DkgStart.$Shape; sign?: null; admin?: null; presign?: null }|{ body?: "sign"; status?: null; dkg?: null; sign: tecdsa.v1.SignStart.$Shape; admin?: null; presign?: null }|{ body?: "admin"; status?: null; dkg?: null; sign?: null; admin: tecdsa.v1.AdminUpdate.$Shape; presign?: null }|{ body?: "presign"; status?: null; dkg?: null; sign?: null; admin?: null; presign: tecdsa.v1.PresignStart.$Shape })
            );
        }

        /**
         * Properties of a NodeStatus.
         * @deprecated Use tecdsa.v1.NodeStatus.$Properties instead.
         */
        interface INodeStatus extends tecdsa.v1.NodeStatus.$Properties {
        }

        /** Represents a NodeStatus. */
        class NodeStatus {

            /**
             * Constructs a new NodeStatus.
             * @param [properties] Properties to set
             */
            constructor(properties?: tecdsa.v1.NodeStatus.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** NodeStatus index. */
            index: number;

            /** NodeStatus peerId. */
            peerId: string;

            /** NodeStatus keys. */
            keys: number;

            /** NodeStatus sessions. */
            sessions: number;

            /** NodeStatus connected. */
            connected: string[];

            /** NodeStatus version. */
            version: string;

            /**
             * Encodes the specified NodeStatus message. Does not implicitly {@link tecdsa.v1.NodeStatus.verify|verify} messages.
             * @param message NodeStatus message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: tecdsa.v1.NodeStatus.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified NodeStatus message, length delimited. Does not implicitly {@link tecdsa.v1.NodeStatus.verify|verify} messages.
             * @param message NodeStatus message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: tecdsa.v1.NodeStatus.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a NodeStatus message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {tecdsa.v1.NodeStatus & tecdsa.v1.NodeStatus.$Shape} NodeStatus
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tecdsa.v1.NodeStatus & tecdsa.v1.NodeStatus.$Shape;

            /**
             * Decodes a NodeStatus message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {tecdsa.v1.NodeStatus & tecdsa.v1.NodeStatus.$Shape} NodeStatus
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tecdsa.v1.NodeStatus & tecdsa.v1.NodeStatus.$Shape;
        }

        namespace NodeStatus {

            /** Properties of a NodeStatus. */
            interface $Properties {

                /** NodeStatus index */
                index?: (number|null);

                /** NodeStatus peerId */
                peerId?: (string|null);

                /** NodeStatus keys */
                keys?: (number|null);

                /** NodeStatus sessions */
                sessions?: (number|null);

                /** NodeStatus connected */
                connected?: (string[]|null);

                /** NodeStatus version */
                version?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a NodeStatus. */
            type $Shape = tecdsa.v1.NodeStatus.$Properties;
        }

        /**
         * Properties of a Failure.
         * @deprecated Use tecdsa.v1.Failure.$Properties instead.
         */
        interface IFailure extends tecdsa.v1.Failure.$Properties {
        }

        /** Represents a Failure. */
        class Failure {

            /**
             * Constructs a new Failure.
             * @param [properties] Properties to set
             */
            constructor(properties?: tecdsa.v1.Failure.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Failure failureClass. */
            failureClass: string;

            /** Failure code. */
            code: string;

            /** Failure culprit. */
            culprit: number;

            /** Failure message. */
            message: string;

            /** Failure round. */
            round: number;

            /**
             * Encodes the specified Failure message. Does not implicitly {@link tecdsa.v1.Failure.verify|verify} messages.
             * @param message Failure message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: tecdsa.v1.Failure.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified Failure message, length delimited. Does not implicitly {@link tecdsa.v1.Failure.verify|verify} messages.
             * @param message Failure message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: tecdsa.v1.Failure.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Failure message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {tecdsa.v1.Failure & tecdsa.v1.Failure.$Shape} Failure
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tecdsa.v1.Failure & tecdsa.v1.Failure.$Shape;

            /**
             * Decodes a Failure message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {tecdsa.v1.Failure & tecdsa.v1.Failure.$Shape} Failure
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tecdsa.v1.Failure & tecdsa.v1.Failure.$Shape;
        }

        namespace Failure {

            /** Properties of a Failure. */
            interface $Properties {

                /** Failure failureClass */
                failureClass?: (string|null);

                /** Failure code */
                code?: (string|null);

                /** Failure culprit */
                culprit?: (number|null);

                /** Failure message */
                message?: (string|null);

                /** Failure round */
                round?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Failure. */
            type $Shape = tecdsa.v1.Failure.$Properties;
        }

        /**
         * Properties of a Progress.
         * @deprecated Use tecdsa.v1.Progress.$Properties instead.
         */
        interface IProgress extends tecdsa.v1.Progress.$Properties {
        }

        /** Represents a Progress. */
        class Progress {

            /**
             * Constructs a new Progress.
             * @param [properties] Properties to set
             */
            constructor(properties?: tecdsa.v1.Progress.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Progress round. */
            round: number;

            /** Progress rounds. */
            rounds: number;

            /**
             * Encodes the specified Progress message. Does not implicitly {@link tecdsa.v1.Progress.verify|verify} messages.
             * @param message Progress message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: tecdsa.v1.Progress.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified Progress message, length delimited. Does not implicitly {@link tecdsa.v1.Progress.verify|verify} messages.
             * @param message Progress message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: tecdsa.v1.Progress.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Progress message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {tecdsa.v1.Progress & tecdsa.v1.Progress.$Shape} Progress
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tecdsa.v1.Progress & tecdsa.v1.Progress.$Shape;

            /**
             * Decodes a Progress message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {tecdsa.v1.Progress & tecdsa.v1.Progress.$Shape} Progress
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tecdsa.v1.Progress & tecdsa.v1.Progress.$Shape;
        }

        namespace Progress {

            /** Properties of a Progress. */
            interface $Properties {

                /** Progress round */
                round?: (number|null);

                /** Progress rounds */
                rounds?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Progress. */
            type $Shape = tecdsa.v1.Progress.$Properties;
        }

        /**
         * Properties of a ControlResponse.
         * @deprecated Use tecdsa.v1.ControlResponse.$Properties instead.
         */
        interface IControlResponse extends tecdsa.v1.ControlResponse.$Properties {
        }

        /** Represents a ControlResponse. */
        class ControlResponse {

            /**
             * Constructs a new ControlResponse.
             * @param [properties] Properties to set
             */
            constructor(properties?: tecdsa.v1.ControlResponse.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ControlResponse status. */
            status?: (tecdsa.v1.NodeStatus.$Properties|null);

            /** ControlResponse dkg. */
            dkg?: (tecdsa.v1.DkgDone.$Properties|null);

            /** ControlResponse sign. */
            sign?: (tecdsa.v1.SignDone.$Properties|null);

            /** ControlResponse failure. */
            failure?: (tecdsa.v1.Failure.$Properties|null);

            /** ControlResponse progress. */
            progress?: (tecdsa.v1.Progress.$Properties|null);

            /** ControlResponse admin. */
            admin?: (tecdsa.v1.AdminUpdateDone.$Properties|null);

            /** ControlResponse presign. */
            presign?: (tecdsa.v1.PresignDone.$Properties|null);

            /** ControlResponse body. */
            body?: ("status"|"dkg"|"sign"|"failure"|"progress"|"admin"|"presign");

            /**
             * Encodes the specified ControlResponse message. Does not implicitly {@link tecdsa.v1.ControlResponse.verify|verify} messages.
             * @param message ControlResponse message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: tecdsa.v1.ControlResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified ControlResponse message, length delimited. Does not implicitly {@link tecdsa.v1.ControlResponse.verify|verify} messages.
             * @param message ControlResponse message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: tecdsa.v1.ControlResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ControlResponse message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {tecdsa.v1.ControlResponse & tecdsa.v1.ControlResponse.$Shape} ControlResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tecdsa.v1.ControlResponse & tecdsa.v1.ControlResponse.$Shape;

            /**
             * Decodes a ControlResponse message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {tecdsa.v1.ControlResponse & tecdsa.v1.ControlResponse.$Shape} ControlResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): tecdsa.v1.ControlResponse & tecdsa.v1.ControlResponse.$Shape;
        }

        namespace ControlResponse {

            /** Properties of a ControlResponse. */
            interface $Properties {

                /** ControlResponse status */
                status?: (tecdsa.v1.NodeStatus.$Properties|null);

                /** ControlResponse dkg */
                dkg?: (tecdsa.v1.DkgDone.$Properties|null);

                /** ControlResponse sign */
                sign?: (tecdsa.v1.SignDone.$Properties|null);

                /** ControlResponse failure */
                failure?: (tecdsa.v1.Failure.$Properties|null);

                /** ControlResponse progress */
                progress?: (tecdsa.v1.Progress.$Properties|null);

                /** ControlResponse admin */
                admin?: (tecdsa.v1.AdminUpdateDone.$Properties|null);

                /** ControlResponse presign */
                presign?: (tecdsa.v1.PresignDone.$Properties|null);

                /** ControlResponse body */
                body?: ("status"|"dkg"|"sign"|"failure"|"progress"|"admin"|"presign");

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Narrowed shape of a ControlResponse. */
            type $Shape = {
              status?: tecdsa.v1.NodeStatus.$Shape|null;
              dkg?: tecdsa.v1.DkgDone.$Shape|null;
              sign?: tecdsa.v1.SignDone.$Shape|null;
              failure?: tecdsa.v1.Failure.$Shape|null;
              progress?: tecdsa.v1.Progress.$Shape|null;
              admin?: tecdsa.v1.AdminUpdateDone.$Shape|null;
              presign?: tecdsa.v1.PresignDone.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ body?: undefined; status?: null; dkg?: null; sign?: null; failure?: null; progress?: null; admin?: null; presign?: null }|{ body?: "status"; status: tecdsa.v1.NodeStatus.$Shape; dkg?: null; sign?: null; failure?: null; progress?: null; admin?: null; presign?: null }|{ body?: "dkg"; status?: null; dkg: tecdsa.v1.DkgDone.$Shape; sign?: null; failure?: null; progress?: null; admin?: null; presign?: null }|{ body?: "sign"; status?: null; dkg?: null; sign: tecdsa.v1.SignDone.$Shape; failure?: null; progress?: null; admin?: null; presign?: null }|{ body?: "failure"; status?: null; dkg?: null; sign?: null; failure: tecdsa.v1.Failure.$Shape; progress?: null; admin?: null; presign?: null }|{ body?: "progress"; status?: null; dkg?: null; sign?: null; failure?: null; progress: tecdsa.v1.Progress.$Shape; admin?: null; presign?: null }|{ body?: "admin"; status?: null; dkg?: null; sign?: null; failure?: null; progress?: null; admin: tecdsa.v1.AdminUpdateDone.$Shape; presign?: null }|{ body?: "presign"; status?: null; dkg?: null; sign?: null; failure?: null; progress?: null; admin?: null; presign: tecdsa.v1.PresignDone.$Shape })
            );
        }
    }
}
