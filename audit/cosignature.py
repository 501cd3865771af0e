"""Checkpoint cosignatures (c2sp.org/tlog-cosignature): Ed25519 (type 0x04) and ML-DSA-44 (type 0x06).

A cosigner (a witness, or the log itself signing with ML-DSA-44) adds one signature line to a
checkpoint: `— <name> base64(key ID || timestamped_signature)`, where timestamped_signature is
a big-endian u64 POSIX time followed by the signature. The two types sign different messages:

  0x04 Ed25519:   "cosignature/v1\\n" "time <t>\\n" and the checkpoint's whole note text;
  0x06 ML-DSA-44: the `cosigned_message` structure: "subtree/v1\\n\\0", the cosigner's name
                  and the log's origin each with a one-byte length, the time, start 0, end =
                  the tree size, and the root hash (extension lines are not signed).

Verifier keys (c2sp.org/signed-note "vkeys") are `name+hex(key ID)+base64(type || public key)`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA44PrivateKey, MLDSA44PublicKey

from audit.errors import VerificationError
from audit.note import SIGNATURE_LINE_PREFIX, Checkpoint

# c2sp.org/tlog-cosignature, "Format": signature types of the key ID computation.
ED25519_COSIGNATURE = 0x04
MLDSA44_COSIGNATURE = 0x06
# RFC 8032 §5.1.5 / FIPS 204 Table 2: public key and signature sizes.
ED25519_PUBLIC_KEY_SIZE, ED25519_SIGNATURE_SIZE = 32, 64
MLDSA44_PUBLIC_KEY_SIZE, MLDSA44_SIGNATURE_SIZE = 1312, 2420
# c2sp.org/tlog-cosignature, "Ed25519 signed message": the header line.
ED25519_HEADER = b"cosignature/v1\n"
# c2sp.org/tlog-cosignature, "ML-DSA-44 signed message": the 12-byte label.
MLDSA44_LABEL = b"subtree/v1\n\x00"
# c2sp.org/tlog-cosignature, "Format": timestamps must not exceed 2^63 - 1.
MAX_TIMESTAMP = 2**63 - 1
KEY_ID_SIZE = 4
SIZES = {
    ED25519_COSIGNATURE: (ED25519_PUBLIC_KEY_SIZE, ED25519_SIGNATURE_SIZE),
    MLDSA44_COSIGNATURE: (MLDSA44_PUBLIC_KEY_SIZE, MLDSA44_SIGNATURE_SIZE),
}


@dataclass(frozen=True)
class CosignerKey:
    """A cosigner's public key of one type, under its name."""

    name: str
    kind: int  # ED25519_COSIGNATURE or MLDSA44_COSIGNATURE
    public_key: bytes

    @property
    def key_id(self) -> bytes:
        """SHA-256(name || "\\n" || type || public key)[:4]."""
        material = self.name.encode("utf-8") + b"\n" + bytes([self.kind]) + self.public_key
        return hashlib.sha256(material).digest()[:KEY_ID_SIZE]

    def vkey(self) -> str:
        encoded = base64.b64encode(bytes([self.kind]) + self.public_key).decode("ascii")
        return f"{self.name}+{self.key_id.hex()}+{encoded}"


# The log's ML-DSA-44 key in the registry: an id like its Ed25519 keys' (audit/signing.py), marked.
LOG_MLDSA_KEY_ID_PREFIX = "mldsa44-"
_KEY_ID_CONTEXT = b"reviewledger/key-id/v1\n"


def log_mldsa_key_id(public_key: bytes) -> str:
    """The registry's id of an ML-DSA-44 public key: 'mldsa44-' and SHA-256(context || key)[:8] in hex."""
    return LOG_MLDSA_KEY_ID_PREFIX + hashlib.sha256(_KEY_ID_CONTEXT + public_key).digest()[:8].hex()


def parse_cosigner_key(text: str) -> CosignerKey:
    """A cosigner vkey of type 0x04 or 0x06; VerificationError naming what is wrong."""
    name, _, rest = text.strip().partition("+")
    hex_id, sep, encoded = rest.partition("+")
    if not name or not sep or " " in name:
        raise VerificationError("cosigner key is not of the form name+keyid+base64key")
    try:
        raw = base64.b64decode(encoded.encode("ascii"), validate=True)
        stated = bytes.fromhex(hex_id)
    except (UnicodeEncodeError, binascii.Error, ValueError):
        raise VerificationError(f"cosigner key of {name}: key ID or key material is not valid") from None
    if not raw or raw[0] not in SIZES or len(raw) != 1 + SIZES[raw[0]][0]:
        raise VerificationError(
            f"cosigner key of {name} is neither an Ed25519 (04) nor an ML-DSA-44 (06) key"
        )
    key = CosignerKey(name=name, kind=raw[0], public_key=raw[1:])
    if key.key_id != stated:
        raise VerificationError(f"cosigner key of {name}: key ID {hex_id} does not match its name and key")
    return key


def signed_message(key: CosignerKey, checkpoint: Checkpoint, timestamp: int) -> bytes:
    """The exact bytes a cosigner of this type signs for this checkpoint at this time."""
    if key.kind == ED25519_COSIGNATURE:
        return ED25519_HEADER + f"time {timestamp}\n".encode("ascii") + checkpoint.to_text().encode("utf-8")
    name, origin = key.name.encode("utf-8"), checkpoint.origin.encode("utf-8")
    return (
        MLDSA44_LABEL
        + bytes([len(name)])
        + name
        + struct.pack(">Q", timestamp)
        + bytes([len(origin)])
        + origin
        + struct.pack(">QQ", 0, checkpoint.size)
        + checkpoint.root
    )


@dataclass(frozen=True)
class CosignerSecret:
    """A cosigner's private key of one type; signs checkpoints."""

    name: str
    private_key: Ed25519PrivateKey | MLDSA44PrivateKey

    @property
    def public(self) -> CosignerKey:
        if isinstance(self.private_key, Ed25519PrivateKey):
            return CosignerKey(
                self.name, ED25519_COSIGNATURE, self.private_key.public_key().public_bytes_raw()
            )
        return CosignerKey(self.name, MLDSA44_COSIGNATURE, self.private_key.public_key().public_bytes_raw())

    def cosign(self, checkpoint: Checkpoint, timestamp: int) -> str:
        """The signature line `— name base64(key ID || u64 time || signature)`, newline-terminated."""
        if not 0 <= timestamp <= MAX_TIMESTAMP:
            raise ValueError("a cosignature's time must be between 0 and 2^63 - 1")
        key = self.public
        signature = self.private_key.sign(signed_message(key, checkpoint, timestamp))
        raw = key.key_id + struct.pack(">Q", timestamp) + signature
        return f"{SIGNATURE_LINE_PREFIX}{self.name} {base64.b64encode(raw).decode('ascii')}\n"

    def private_bytes(self) -> bytes:
        """The 32-byte Ed25519 private key or the 32-byte ML-DSA-44 seed."""
        return self.private_key.private_bytes_raw()


def generate(name: str, kind: int) -> CosignerSecret:
    if kind == ED25519_COSIGNATURE:
        return CosignerSecret(name, Ed25519PrivateKey.generate())
    return CosignerSecret(name, MLDSA44PrivateKey.generate())


def load(name: str, kind: int, secret: bytes) -> CosignerSecret:
    if kind == ED25519_COSIGNATURE:
        return CosignerSecret(name, Ed25519PrivateKey.from_private_bytes(secret))
    return CosignerSecret(name, MLDSA44PrivateKey.from_seed_bytes(secret))


def is_by(key: CosignerKey, line: str) -> bool:
    """Whether a signature line names this key (its name, and its key ID in the signature)."""
    name, _, encoded = line.removeprefix(SIGNATURE_LINE_PREFIX).partition(" ")
    try:
        raw = base64.b64decode(encoded.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error):
        return False
    return name == key.name and raw[:KEY_ID_SIZE] == key.key_id


def verify_cosignature(key: CosignerKey, checkpoint: Checkpoint, line: str) -> int:
    """Check one signature line is `key`'s cosignature of `checkpoint`; return its time.

    VerificationError when the line is not by this key (name and key ID) or does not verify.
    """
    name, _, encoded = line.removeprefix(SIGNATURE_LINE_PREFIX).rstrip("\n").partition(" ")
    try:
        raw = base64.b64decode(encoded.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error):
        raise VerificationError(f"cosignature by {name} is not valid base64") from None
    if name != key.name or raw[:KEY_ID_SIZE] != key.key_id:
        raise VerificationError(f"signature line by {name} is not a cosignature by {key.name}")
    if len(raw) != KEY_ID_SIZE + 8 + SIZES[key.kind][1]:
        raise VerificationError(
            f"cosignature by {name} is {len(raw)} bytes, not {KEY_ID_SIZE + 8 + SIZES[key.kind][1]}"
        )
    (timestamp,) = struct.unpack(">Q", raw[KEY_ID_SIZE : KEY_ID_SIZE + 8])
    if timestamp > MAX_TIMESTAMP:
        raise VerificationError(f"cosignature by {name} has a time beyond 2^63 - 1")
    message, signature = signed_message(key, checkpoint, timestamp), raw[KEY_ID_SIZE + 8 :]
    try:
        if key.kind == ED25519_COSIGNATURE:
            Ed25519PublicKey.from_public_bytes(key.public_key).verify(signature, message)
        else:
            MLDSA44PublicKey.from_public_bytes(key.public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        raise VerificationError(f"cosignature by {name} does not verify for this checkpoint") from None
    return int(timestamp)
