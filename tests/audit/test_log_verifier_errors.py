"""The log verifier's checks raise VerificationError; a batch checked in another process brings each error back."""

from __future__ import annotations

import pickle
import re

import pytest

from audit.errors import VerificationError
from audit.merkle import leaf_hash
from audit.note import Checkpoint, parse_verifier_key, sign_checkpoint, verifier_key
from audit.signing import KeyPair
from audit.verifier import verify_checkpoints, verify_signatures

ORIGIN = "reviewledger.example/log"


def test_each_signature_in_a_batch_is_checked_and_a_bad_one_comes_back_as_its_error() -> None:
    signer = KeyPair.generate()
    good = signer.sign(b"first event")
    found = verify_signatures(
        [
            (signer.public_key, good, b"first event"),
            (signer.public_key, good, b"altered event"),
            (signer.public_key, good[:10], b"first event"),
        ]
    )
    assert found[0] is None
    assert [str(error) for error in found[1:]] == ["signature does not verify", "signature is not 64 bytes"]
    assert all(isinstance(error, VerificationError) for error in found[1:])


def test_an_error_crosses_to_the_verifying_process_with_its_message_and_position() -> None:
    sent = VerificationError("signature does not verify", position=7)
    received = pickle.loads(pickle.dumps(sent))
    with pytest.raises(VerificationError, match=r"^signature does not verify$") as caught:
        raise received
    assert caught.value.position == 7


def test_each_checkpoint_in_a_batch_is_verified_and_a_bad_one_comes_back_as_its_error() -> None:
    log = KeyPair.generate()
    verifier = parse_verifier_key(verifier_key(ORIGIN, log.public_key))
    checkpoint = Checkpoint(origin=ORIGIN, size=2, root=leaf_hash(b"first review"))
    note = sign_checkpoint(checkpoint, ORIGIN, log.private_key)
    stranger = sign_checkpoint(checkpoint, ORIGIN, KeyPair.generate().private_key)
    [(verified, signed), (refused, refused_signed)] = verify_checkpoints(
        (verifier, ORIGIN, [note, stranger], None)
    )
    assert (verified, signed) == (checkpoint, False)
    assert isinstance(refused, VerificationError)
    assert refused_signed is False
    with pytest.raises(
        VerificationError, match=f"^note has no signature by {re.escape(ORIGIN)}\\+[0-9a-f]{{8}}$"
    ):
        raise refused
