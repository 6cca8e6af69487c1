// A software WebAuthn authenticator for integration tests: it builds real attestation and assertion
// responses (ES256; "none" attestation, or "packed" with a certificate chain the test made) that
// @simplewebauthn/server verifies exactly as it verifies a browser's. End-to-end tests use Chrome's
// virtual authenticator instead.
import crypto from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

/**
 * Full ("basic") packed attestation (WebAuthn L3 §8.2): the attestation key signs authData and the
 * client data hash; x5c is its certificate (then any intermediates), leaf first, DER.
 */
export type PackedAttestation = { privateKey: crypto.KeyObject; x5c: Uint8Array[] };

type Credential = {
  id: Buffer;
  privateKey: crypto.KeyObject;
  userHandle: string;
  counter: number;
  rpId: string;
};

/**
 * What a browser would put in clientDataJSON when the ceremony runs inside another site's iframe
 * (WebAuthn L3 §5.8.1): lets a test play the framing attacker.
 */
export type Embedding = { crossOrigin?: boolean; topOrigin?: string };

function b64url(data: Uint8Array | string): string {
  return Buffer.from(data).toString('base64url');
}

function counterBytes(counter: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(counter);
  return buffer;
}

export class SoftAuthenticator {
  readonly credentials: Credential[] = [];
  constructor(
    private readonly options: {
      userVerification: boolean;
      aaguid?: string;
      /** A synced passkey: backup eligible and backed up (BE and BS flags), as a password manager's. */
      backupEligible?: boolean;
      attestation?: PackedAttestation;
    } = {
      userVerification: true,
    },
  ) {}

  private flags(extra = 0): number {
    return (
      FLAG_UP |
      (this.options.userVerification ? FLAG_UV : 0) |
      (this.options.backupEligible ? FLAG_BE | FLAG_BS : 0) |
      extra
    );
  }

  /** A registration response; `craft` bends it the way an attacker or a faulty authenticator might. */
  register(
    options: PublicKeyCredentialCreationOptionsJSON,
    origin: string,
    craft: {
      embedding?: Embedding;
      credentialIdBytes?: number;
      /** Another credential's ID: an authenticator (or a forger) presenting one that is registered. */
      credentialId?: Uint8Array;
    } = {},
  ): RegistrationResponseJSON {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const cose = new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x!, 'base64url')],
      [-3, Buffer.from(jwk.y!, 'base64url')],
    ]);
    const id = craft.credentialId
      ? Buffer.from(craft.credentialId)
      : crypto.randomBytes(craft.credentialIdBytes ?? 32);
    const rpId = options.rp.id ?? new URL(origin).hostname;
    const aaguid = Buffer.from(
      (this.options.aaguid ?? '00000000-0000-0000-0000-000000000000').replace(/-/g, ''),
      'hex',
    );
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const authData = Buffer.concat([
      crypto.createHash('sha256').update(rpId).digest(),
      Buffer.from([this.flags(FLAG_AT)]),
      counterBytes(0),
      aaguid,
      idLength,
      id,
      Buffer.from(isoCBOR.encode(cose)),
    ]);
    const clientDataJSON = JSON.stringify({
      type: 'webauthn.create',
      challenge: options.challenge,
      origin,
      crossOrigin: false,
      ...craft.embedding,
    });
    const packed = this.options.attestation;
    const attStmt = new Map<string, number | Uint8Array | Uint8Array[]>(
      packed
        ? [
            ['alg', -7],
            [
              'sig',
              crypto.sign(
                'sha256',
                Buffer.concat([
                  authData,
                  crypto.createHash('sha256').update(clientDataJSON).digest(),
                ]),
                packed.privateKey,
              ),
            ],
            ['x5c', packed.x5c.map((certificate) => new Uint8Array(certificate))],
          ]
        : [],
    );
    const attestationObject = isoCBOR.encode(
      new Map<string, string | typeof attStmt | Uint8Array>([
        ['fmt', packed ? 'packed' : 'none'],
        ['attStmt', attStmt],
        ['authData', new Uint8Array(authData)],
      ]),
    );
    this.credentials.push({ id, privateKey, userHandle: options.user.id, counter: 0, rpId });
    return {
      id: b64url(id),
      rawId: b64url(id),
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    };
  }

  authenticate(
    options: PublicKeyCredentialRequestOptionsJSON,
    origin: string,
    credential = this.credentials[0]!,
    embedding: Embedding = {},
  ): AuthenticationResponseJSON {
    credential.counter += 1;
    const authData = Buffer.concat([
      crypto.createHash('sha256').update(credential.rpId).digest(),
      Buffer.from([this.flags()]),
      counterBytes(credential.counter),
    ]);
    const clientDataJSON = Buffer.from(
      JSON.stringify({
        type: 'webauthn.get',
        challenge: options.challenge,
        origin,
        crossOrigin: false,
        ...embedding,
      }),
    );
    const signature = crypto.sign(
      'sha256',
      Buffer.concat([authData, crypto.createHash('sha256').update(clientDataJSON).digest()]),
      credential.privateKey,
    );
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: credential.userHandle,
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    };
  }
}
