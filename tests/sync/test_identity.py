"""Keys, signatures, the master's certificate and fingerprint, over real TLS on loopback."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import ipaddress
import os
import ssl
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.x509.oid import ExtendedKeyUsageOID
from hypothesis import given
from hypothesis import strategies as st

from sync.codes import ALPHABET
from sync.identity import (
    CLOCK_SKEW,
    IdentityError,
    MasterIdentity,
    TypedCodeError,
    client_ssl_context,
    ensure_master_identity,
    fingerprint_of_cert_der,
    fingerprint_of_certificate,
    format_fingerprint,
    generate_signing_key,
    generate_tls_key,
    load_signing_key,
    load_tls_key,
    make_tls_certificate,
    matches_pin,
    parse_fingerprint,
    public_key_bytes,
    save_private_key,
    sign,
    verify,
)

NOW = dt.datetime(2025, 5, 17, 8, 30, tzinfo=dt.UTC)
posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX-only")


def counter_rng(seed: int = 0) -> Callable[[int], bytes]:
    state = [seed]

    def rng(n: int) -> bytes:
        out = b""
        while len(out) < n:
            out += hashlib.sha256(state[0].to_bytes(8, "big")).digest()
            state[0] += 1
        return out[:n]

    return rng


# --- keys -------------------------------------------------------------------------------------


@posix_only
def test_private_key_file_is_0600_pkcs8_and_loads_back(tmp_path: Path) -> None:
    key = generate_signing_key()
    path = tmp_path / "keys" / "device.pem"
    save_private_key(path, key)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----\n")
    assert public_key_bytes(load_signing_key(path)) == public_key_bytes(key)
    assert [p.name for p in path.parent.iterdir()] == ["device.pem"]  # no temp files left


def test_save_refuses_to_overwrite_unless_asked(tmp_path: Path) -> None:
    path = tmp_path / "device.pem"
    first, second = generate_signing_key(), generate_signing_key()
    save_private_key(path, first)
    with pytest.raises(FileExistsError):
        save_private_key(path, second)
    assert public_key_bytes(load_signing_key(path)) == public_key_bytes(first)
    save_private_key(path, second, overwrite=True)
    assert public_key_bytes(load_signing_key(path)) == public_key_bytes(second)
    assert [p.name for p in tmp_path.iterdir()] == ["device.pem"]


def test_keys_come_from_the_rng_given() -> None:
    a = generate_signing_key(counter_rng(1))
    b = generate_signing_key(counter_rng(1))
    assert public_key_bytes(a) == public_key_bytes(b)
    t1, t2 = generate_tls_key(counter_rng(2)), generate_tls_key(counter_rng(2))
    assert t1.private_numbers().private_value == t2.private_numbers().private_value
    assert isinstance(t1.curve, ec.SECP256R1)
    with pytest.raises(ValueError):
        generate_signing_key(lambda n: b"short")


def test_tls_key_saves_and_loads(tmp_path: Path) -> None:
    key = generate_tls_key()
    save_private_key(tmp_path / "tls.pem", key)
    loaded = load_tls_key(tmp_path / "tls.pem")
    assert loaded.private_numbers() == key.private_numbers()


def test_loading_the_wrong_thing_is_an_identity_error(tmp_path: Path) -> None:
    save_private_key(tmp_path / "ed.pem", generate_signing_key())
    save_private_key(tmp_path / "ec.pem", generate_tls_key())
    (tmp_path / "junk.pem").write_bytes(b"not a key")
    with pytest.raises(IdentityError, match="not an ECDSA"):
        load_tls_key(tmp_path / "ed.pem")
    with pytest.raises(IdentityError, match="not an Ed25519"):
        load_signing_key(tmp_path / "ec.pem")
    with pytest.raises(IdentityError, match="not an unencrypted PEM"):
        load_signing_key(tmp_path / "junk.pem")
    with pytest.raises(IdentityError, match="cannot read"):
        load_signing_key(tmp_path / "missing.pem")


# --- signatures -------------------------------------------------------------------------------


def test_sign_and_verify() -> None:
    key = generate_signing_key()
    pub = public_key_bytes(key)
    assert len(pub) == 32
    assert public_key_bytes(key.public_key()) == pub
    sig = sign(key, b"sheet")
    assert len(sig) == 64
    assert verify(pub, sig, b"sheet")
    assert verify(bytearray(pub), memoryview(sig), bytearray(b"sheet"))
    assert not verify(pub, sig, b"sheet!")
    assert not verify(pub, bytes([sig[0] ^ 1]) + sig[1:], b"sheet")
    assert not verify(public_key_bytes(generate_signing_key()), sig, b"sheet")


@pytest.mark.parametrize(
    ("pub", "sig", "data"),
    [
        (b"", b"", b""),
        (b"\x00" * 32, b"\x00" * 64, b""),
        (b"\xff" * 32, b"\xff" * 64, b"x"),
        (b"short", b"\x00" * 64, b"x"),
        (None, None, None),
        ("a" * 32, "b" * 64, "c"),
        (32, 64, 5),
        (b"\x01" * 32, b"\x00" * 65, b"x"),
    ],
)
def test_verify_returns_false_for_garbage(pub: object, sig: object, data: object) -> None:
    assert verify(pub, sig, data) is False  # type: ignore[arg-type]


@given(st.binary(min_size=32, max_size=32), st.binary(max_size=2000),
       st.integers(min_value=0), st.sampled_from(["key", "signature", "data", "none"]))
def test_verify_agrees_with_openssl(seed: bytes, data: bytes, where: int, what: str) -> None:
    """libsodium signs as OpenSSL does and checks what OpenSSL signed: an honest signature
    verifies with both, and one flipped bit in the key, the signature or the data fails with
    both."""
    key = Ed25519PrivateKey.from_private_bytes(seed)
    parts = {"key": bytearray(public_key_bytes(key)), "signature": bytearray(sign(key, data)),
             "data": bytearray(data)}
    if what != "none" and parts[what]:
        parts[what][where % len(parts[what])] ^= 1 << (where % 8)
    assert sign(key, data) == key.sign(data)  # libsodium signs as OpenSSL does
    pub, sig, body = (bytes(parts[k]) for k in ("key", "signature", "data"))
    try:
        Ed25519PublicKey.from_public_bytes(pub).verify(sig, body)
        openssl = True
    except (InvalidSignature, ValueError):
        openssl = False
    assert verify(pub, sig, body) is openssl
    assert openssl is (what == "none" or (not data and what == "data"))


@given(st.binary(max_size=40), st.binary(max_size=80), st.binary(max_size=40))
def test_verify_never_raises(pub: bytes, sig: bytes, data: bytes) -> None:
    assert verify(pub, sig, data) is False


# --- certificate ------------------------------------------------------------------------------


def test_certificate_extensions_and_validity() -> None:
    key = generate_tls_key()
    cert = make_tls_certificate(
        "head judge", key, 30, now=NOW, extra_names=["judging.local", "198.18.0.1", "localhost"]
    )
    ext = cert.extensions
    ski = ext.get_extension_for_class(x509.SubjectKeyIdentifier).value
    aki = ext.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    assert aki.key_identifier == ski.digest
    basic = ext.get_extension_for_class(x509.BasicConstraints)
    assert basic.critical and basic.value.ca is False
    usage = ext.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature and not usage.value.key_cert_sign
    eku = ext.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [ExtendedKeyUsageOID.SERVER_AUTH]
    san = ext.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["localhost", "judging.local"]
    assert san.get_values_for_type(x509.IPAddress) == [
        ipaddress.ip_address("127.0.0.1"),
        ipaddress.ip_address("198.18.0.1"),
    ]
    assert cert.not_valid_before_utc == NOW - CLOCK_SKEW
    assert cert.not_valid_after_utc == NOW + dt.timedelta(days=30)
    assert cert.subject == cert.issuer
    cert.verify_directly_issued_by(cert)
    assert 0 < cert.serial_number < 2**159


def test_certificate_wants_an_aware_now() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        make_tls_certificate("x", generate_tls_key(), 1, now=dt.datetime(2025, 1, 1))


def test_fingerprint_is_sha256_of_the_spki_inside_the_der() -> None:
    key = generate_tls_key()
    cert = make_tls_certificate("x", key, 1, now=NOW)
    der = cert.public_bytes(serialization.Encoding.DER)
    spki = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert spki in der
    assert fingerprint_of_cert_der(der) == hashlib.sha256(spki).digest()
    assert fingerprint_of_certificate(cert) == fingerprint_of_cert_der(der)
    # a new certificate for the same key has the same fingerprint
    other = make_tls_certificate("y", key, 99, now=NOW + dt.timedelta(days=400))
    assert fingerprint_of_certificate(other) == fingerprint_of_certificate(cert)
    with pytest.raises(ValueError):
        fingerprint_of_cert_der(b"garbage")


def test_matches_pin() -> None:
    cert = make_tls_certificate("x", generate_tls_key(), 1, now=NOW)
    der = cert.public_bytes(serialization.Encoding.DER)
    pin = fingerprint_of_cert_der(der)
    assert matches_pin(der, pin)
    assert not matches_pin(der, bytes(32))
    assert not matches_pin(None, pin)
    assert not matches_pin(b"", pin)
    assert not matches_pin(b"garbage", pin)
    assert not matches_pin(der, pin[:16])


# --- fingerprint text -------------------------------------------------------------------------


@given(st.binary(min_size=32, max_size=32))
def test_fingerprint_text_round_trips(digest: bytes) -> None:
    text = format_fingerprint(digest)
    assert len(text) == 63 and text.count("-") == 7
    assert all(len(block) == 7 for block in text.split("-"))
    assert parse_fingerprint(text) == digest
    assert parse_fingerprint(text.lower().replace("-", " ")) == digest
    assert parse_fingerprint(text.replace("-", "")) == digest
    assert parse_fingerprint(text.replace("O", "0").replace("I", "1").replace("B", "8")) == digest


@given(st.binary(min_size=32, max_size=32), st.data())
def test_a_one_character_typo_in_a_fingerprint_is_caught(
    digest: bytes, data: st.DataObject
) -> None:
    chars = format_fingerprint(digest).replace("-", "")
    pos = data.draw(st.integers(0, len(chars) - 1))
    new = data.draw(st.sampled_from([c for c in ALPHABET if c != chars[pos]]))
    with pytest.raises(TypedCodeError) as err:
        parse_fingerprint(chars[:pos] + new + chars[pos + 1 :])
    assert err.value.group == pos // 14 + 1
    assert f"blocks {2 * (pos // 14) + 1}-{2 * (pos // 14) + 2}" in str(err.value)


def test_format_fingerprint_wants_32_bytes() -> None:
    with pytest.raises(ValueError):
        format_fingerprint(bytes(16))


# --- the master identity ----------------------------------------------------------------------


def test_ensure_master_identity_creates_then_loads(tmp_path: Path) -> None:
    first = ensure_master_identity(tmp_path, now=NOW)
    folder = tmp_path / "identity"
    assert first.folder == folder
    assert sorted(p.name for p in folder.iterdir()) == [
        "signing-key.pem",
        "tls-cert.pem",
        "tls-key.pem",
    ]
    if os.name == "posix":
        assert stat.S_IMODE(first.signing_key_path.stat().st_mode) == 0o600
        assert stat.S_IMODE(first.tls_key_path.stat().st_mode) == 0o600
    second = ensure_master_identity(tmp_path, now=NOW + dt.timedelta(days=3))
    assert second.fingerprint == first.fingerprint
    assert second.fingerprint_text == format_fingerprint(first.fingerprint)
    assert public_key_bytes(second.signing_key) == public_key_bytes(first.signing_key)
    assert second.certificate == first.certificate


def test_expired_or_renamed_certificate_is_reissued_with_the_same_fingerprint(
    tmp_path: Path,
) -> None:
    first = ensure_master_identity(tmp_path, now=NOW, valid_days=10)
    later = ensure_master_identity(tmp_path, now=NOW + dt.timedelta(days=11), valid_days=10)
    assert later.certificate != first.certificate
    assert later.certificate.not_valid_after_utc == NOW + dt.timedelta(days=21)
    assert later.fingerprint == first.fingerprint
    named = ensure_master_identity(
        tmp_path, now=NOW + dt.timedelta(days=12), extra_names=["198.18.0.7"]
    )
    assert named.fingerprint == first.fingerprint
    san = named.certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    assert ipaddress.ip_address("198.18.0.7") in san.value.get_values_for_type(x509.IPAddress)


def test_a_crash_between_files_is_completed(tmp_path: Path) -> None:
    folder = tmp_path / "identity"
    key = generate_signing_key()
    save_private_key(folder / "signing-key.pem", key)
    ident = ensure_master_identity(tmp_path, now=NOW)
    assert public_key_bytes(ident.signing_key) == public_key_bytes(key)
    (folder / "tls-cert.pem").unlink()
    again = ensure_master_identity(tmp_path, now=NOW)
    assert again.fingerprint == ident.fingerprint


@pytest.mark.parametrize("lost", ["signing-key.pem", "tls-key.pem"])
def test_a_lost_key_is_an_error_not_a_new_fingerprint(tmp_path: Path, lost: str) -> None:
    ensure_master_identity(tmp_path, now=NOW)
    (tmp_path / "identity" / lost).unlink()
    with pytest.raises(IdentityError, match="missing"):
        ensure_master_identity(tmp_path, now=NOW)
    assert not (tmp_path / "identity" / lost).exists()


def test_a_certificate_for_another_key_is_an_error(tmp_path: Path) -> None:
    ident = ensure_master_identity(tmp_path, now=NOW)
    stranger = make_tls_certificate("x", generate_tls_key(), 5, now=NOW)
    ident.certificate_path.write_bytes(stranger.public_bytes(serialization.Encoding.PEM))
    with pytest.raises(IdentityError, match="not a certificate for the key"):
        ensure_master_identity(tmp_path, now=NOW)


# --- real TLS on loopback ---------------------------------------------------------------------


async def _serve_once(
    identity: MasterIdentity, client_ctx: ssl.SSLContext, server_hostname: str | None
) -> tuple[str | None, bytes | None, bytes]:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        line = await reader.readline()
        writer.write(b"ack " + line)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=identity.server_ssl_context())
    port = server.sockets[0].getsockname()[1]
    async with server:
        reader, writer = await asyncio.open_connection(
            "127.0.0.1", port, ssl=client_ctx, server_hostname=server_hostname
        )
        ssl_object = writer.get_extra_info("ssl_object")
        version = ssl_object.version()
        peer_der = ssl_object.getpeercert(binary_form=True)
        writer.write(b"hello\n")
        await writer.drain()
        reply = await reader.read()
        writer.close()
        await writer.wait_closed()
    return version, peer_der, reply


def test_pinned_tls13_handshake_on_loopback(tmp_path: Path) -> None:
    identity = ensure_master_identity(tmp_path, now=dt.datetime.now(dt.UTC))
    ctx = client_ssl_context()
    assert ctx.verify_mode == ssl.CERT_NONE and not ctx.check_hostname
    version, peer_der, reply = asyncio.run(_serve_once(identity, ctx, None))
    assert version == "TLSv1.3"
    assert peer_der is not None
    assert fingerprint_of_cert_der(peer_der) == identity.fingerprint
    assert matches_pin(peer_der, parse_fingerprint(identity.fingerprint_text))
    assert not matches_pin(peer_der, hashlib.sha256(b"fake master").digest())
    assert reply == b"ack hello\n"


@pytest.mark.parametrize("hostname", ["localhost", "127.0.0.1"])
def test_certificate_also_verifies_as_a_strict_cafile_trust_anchor(
    tmp_path: Path, hostname: str
) -> None:
    """CA:FALSE self-signed leaf, pinned through `cafile`, with host name checks and the
    strict X.509 flags Python 3.13 turns on by default."""
    identity = ensure_master_identity(tmp_path, now=dt.datetime.now(dt.UTC))
    ctx = ssl.create_default_context(cafile=str(identity.certificate_path))
    ctx.verify_flags |= ssl.VERIFY_X509_STRICT
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    version, peer_der, reply = asyncio.run(_serve_once(identity, ctx, hostname))
    assert version == "TLSv1.3"
    assert peer_der is not None and fingerprint_of_cert_der(peer_der) == identity.fingerprint
    assert reply == b"ack hello\n"


def test_cafile_of_another_master_is_refused(tmp_path: Path) -> None:
    identity = ensure_master_identity(tmp_path / "real", now=dt.datetime.now(dt.UTC))
    impostor = ensure_master_identity(tmp_path / "fake", now=dt.datetime.now(dt.UTC))
    ctx = ssl.create_default_context(cafile=str(identity.certificate_path))
    with pytest.raises(ssl.SSLCertVerificationError):
        asyncio.run(_serve_once(impostor, ctx, "localhost"))
