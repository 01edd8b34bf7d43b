"""Device and master identity: Ed25519 signing keys, the master's TLS certificate, fingerprints.

Signing keys sign records (`sign`/`verify`); `verify` never raises. Keys are held by
`cryptography`; the Ed25519 arithmetic is libsodium's (through PyNaCl), which here signs in
two thirds and verifies in half of OpenSSL's time: every sheet, receipt and check of one pays
it. Signatures are the same bytes either way (Ed25519 is deterministic); libsodium's
verification is the stricter (it also refuses small-order keys and non-canonical encodings,
which no honest signer produces). Private keys are stored as
unencrypted PKCS#8 PEM, mode 0600, written atomically (temp file, fsync, rename) and never
overwritten unless asked. The master's TLS key is ECDSA P-256 in a self-signed certificate; its
fingerprint is the SHA-256 of the certificate's SubjectPublicKeyInfo, so a renewed certificate
for the same key keeps the fingerprint every terminal pinned. Fingerprints are shown as 56
Luhn-checked base32 characters (`sync.codes`). Terminals pin the fingerprint instead of trusting
any CA: `client_ssl_context` does no certificate checks of its own, so the caller must check
`matches_pin` on every connection before sending anything.

Key generation takes its randomness and certificates take `now` as arguments.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import hmac
import ipaddress
import os
import ssl
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from nacl.bindings import crypto_sign, crypto_sign_open, crypto_sign_seed_keypair

from sync.codes import FINGERPRINT_SIZE, TypedCodeError, decode_groups, encode_groups

from .clock import utc_now
from .problems import Said, os_reason

__all__ = [
    "CLOCK_SKEW",
    "FINGERPRINT_SIZE",
    "IdentityError",
    "MasterIdentity",
    "NoMasterIdentity",
    "PrivateKey",
    "TypedCodeError",
    "client_ssl_context",
    "ensure_master_identity",
    "fingerprint_of_cert_der",
    "fingerprint_of_certificate",
    "format_fingerprint",
    "generate_signing_key",
    "generate_tls_key",
    "load_master_identity",
    "load_signing_key",
    "load_tls_key",
    "make_tls_certificate",
    "matches_pin",
    "parse_fingerprint",
    "public_key_bytes",
    "save_private_key",
    "sign",
    "verify",
    "write_private_file",
]

PrivateKey = Ed25519PrivateKey | ec.EllipticCurvePrivateKey
Rng = Callable[[int], bytes]
Buffer = bytes | bytearray | memoryview

CLOCK_SKEW = dt.timedelta(days=1)
"""A certificate is valid from this long before `now`, for laptops whose clocks run behind."""

_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


class IdentityError(Exception):
    """A key or certificate file is missing, unreadable, of the wrong kind or inconsistent;
    `reason` says which, in both languages (`sync.problems.Said`)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- keys -------------------------------------------------------------------------------------


def generate_signing_key(rng: Rng = os.urandom) -> Ed25519PrivateKey:
    """A new Ed25519 key from 32 bytes of `rng`."""
    return Ed25519PrivateKey.from_private_bytes(_take(rng, 32))


def generate_tls_key(rng: Rng = os.urandom) -> ec.EllipticCurvePrivateKey:
    """A new ECDSA P-256 key; the scalar is 40 bytes of `rng` reduced mod n-1, plus 1."""
    scalar = int.from_bytes(_take(rng, 40), "big") % (_P256_ORDER - 1) + 1
    return ec.derive_private_key(scalar, ec.SECP256R1())


def _take(rng: Rng, n: int) -> bytes:
    data = rng(n)
    if not isinstance(data, bytes) or len(data) != n:
        raise ValueError(f"rng must return {n} bytes")
    return data


def save_private_key(path: Path, key: PrivateKey, *, overwrite: bool = False) -> None:
    """Write `key` as unencrypted PKCS#8 PEM with mode 0600, atomically.

    Raises FileExistsError if `path` exists and `overwrite` is false.
    """
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    _write_atomic(Path(path), pem, 0o600, overwrite=overwrite)


def write_private_file(path: Path, data: bytes) -> None:
    """Write `data` readable by this user only (mode 0600), atomically, replacing `path`."""
    _write_atomic(Path(path), data, 0o600, overwrite=True)


def load_signing_key(path: Path) -> Ed25519PrivateKey:
    key = _load_private_key(Path(path))
    if not isinstance(key, Ed25519PrivateKey):
        raise IdentityError(Said("id_not_key", path=path, kind="Ed25519"))
    return key


def load_tls_key(path: Path) -> ec.EllipticCurvePrivateKey:
    key = _load_private_key(Path(path))
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise IdentityError(Said("id_not_key", path=path, kind="ECDSA"))
    return key


def _load_private_key(path: Path) -> object:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IdentityError(Said("id_cannot_read", path=path, error=os_reason(exc))) from None
    try:
        return serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise IdentityError(Said("id_not_pem", path=path, format="PEM", detail=exc)) from None


def _write_atomic(path: Path, data: bytes, mode: int, *, overwrite: bool) -> None:
    """Write to a temp file in the same folder, fsync, then rename (or hard-link if no clobber)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.chmod(tmp, mode)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if path exists: no window for a second writer
            except FileExistsError:
                raise
            except OSError:  # a file system without hard links
                if path.exists():
                    raise FileExistsError(f"{path} already exists") from None
                os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":  # Windows cannot open a directory; its renames are journalled
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- signatures -------------------------------------------------------------------------------


def public_key_bytes(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    """The raw 32-byte Ed25519 public key."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def sign(private_key: Ed25519PrivateKey, data: bytes) -> bytes:
    """The 64-byte Ed25519 signature of `data` (deterministic: the one OpenSSL would make)."""
    return crypto_sign(data, _libsodium_secret(private_key.private_bytes_raw()))[:64]


@functools.lru_cache(maxsize=16)
def _libsodium_secret(seed: bytes) -> bytes:
    """libsodium's form of a signing key (seed and public key), which costs a scalar
    multiplication to derive: once per key, not once per signature."""
    return crypto_sign_seed_keypair(seed)[1]


def verify(public_bytes: Buffer, signature: Buffer, data: Buffer) -> bool:
    """True only for a valid Ed25519 signature; False for anything else, never raises."""
    if not all(
        isinstance(x, (bytes, bytearray, memoryview)) for x in (public_bytes, signature, data)
    ):
        return False
    if len(public_bytes) != 32 or len(signature) != 64:
        return False
    try:
        crypto_sign_open(bytes(signature) + bytes(data), bytes(public_bytes))
    except Exception:  # BadSignatureError, and anything libsodium refuses to take
        return False
    return True


# --- TLS certificate and fingerprint ----------------------------------------------------------


def make_tls_certificate(
    common_name: str,
    private_key_for_tls: ec.EllipticCurvePrivateKey,
    valid_days: int,
    *,
    now: dt.datetime,
    extra_names: Sequence[str] = (),
    rng: Rng = os.urandom,
) -> x509.Certificate:
    """A self-signed leaf certificate for the master's TLS server.

    CA:FALSE (critical), key usage digitalSignature only (critical), extended key usage
    serverAuth, subject and authority key identifiers (so strict verifiers, e.g. Python 3.13's
    default VERIFY_X509_STRICT, find nothing missing), and subject alternative names
    DNS:localhost, IP:127.0.0.1 and `extra_names` (IP addresses where they parse as one, DNS
    names otherwise). Besides SPKI pinning it works as its own `cafile` trust anchor, host
    names checked. Valid from `now - CLOCK_SKEW` until `valid_days` days after `now`, which
    must be timezone-aware.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if valid_days < 1:
        raise ValueError("valid_days must be at least 1")
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    public = private_key_for_tls.public_key()
    ski = x509.SubjectKeyIdentifier.from_public_key(public)
    serial = (int.from_bytes(_take(rng, 20), "big") >> 1) or 1  # positive, at most 20 octets
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(serial)
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(now + dt.timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(ski, critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False
        )
        .add_extension(x509.SubjectAlternativeName(_alt_names(extra_names)), critical=False)
        .sign(private_key_for_tls, hashes.SHA256())
    )


def _alt_names(extra: Sequence[str]) -> list[x509.GeneralName]:
    names: list[x509.GeneralName] = []
    for text in ("localhost", "127.0.0.1", *extra):
        entry: x509.GeneralName
        try:
            entry = x509.IPAddress(ipaddress.ip_address(text))
        except ValueError:
            entry = x509.DNSName(text)
        if entry not in names:
            names.append(entry)
    return names


def fingerprint_of_cert_der(der: bytes) -> bytes:
    """SHA-256 of the SubjectPublicKeyInfo of a DER certificate (32 bytes)."""
    try:
        cert = x509.load_der_x509_certificate(bytes(der))
    except ValueError as exc:
        raise ValueError(f"not a DER certificate: {exc}") from None
    return fingerprint_of_certificate(cert)


def fingerprint_of_certificate(cert: x509.Certificate) -> bytes:
    spki = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(spki).digest()


def matches_pin(cert_der: bytes | None, pin: bytes) -> bool:
    """Whether a peer certificate (`SSLObject.getpeercert(binary_form=True)`) has fingerprint
    `pin`. False for a missing or unparsable certificate; compares in constant time."""
    if not cert_der or len(pin) != FINGERPRINT_SIZE:
        return False
    try:
        actual = fingerprint_of_cert_der(cert_der)
    except ValueError:
        return False
    return hmac.compare_digest(actual, pin)


def format_fingerprint(digest: bytes) -> str:
    """The typable form: 56 characters in 8 blocks of 7, e.g. `MFRGGZD-...`."""
    if len(digest) != FINGERPRINT_SIZE:
        raise ValueError(f"a fingerprint is {FINGERPRINT_SIZE} bytes, got {len(digest)}")
    return encode_groups(bytes(digest))


def parse_fingerprint(text: str) -> bytes:
    """The 32 bytes of a typed fingerprint; TypedCodeError names the group with a typo."""
    return decode_groups(text, FINGERPRINT_SIZE)


def client_ssl_context() -> ssl.SSLContext:
    """TLS 1.3 client context for a pinned master: no CA or host name checks here, so the
    caller MUST check `matches_pin(ssl_object.getpeercert(binary_form=True), pin)` right after
    the handshake and close the connection unless it is true."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


# --- the master's identity folder -------------------------------------------------------------


@dataclass(frozen=True)
class MasterIdentity:
    """The head judge's keys and certificate, as stored under `home/identity/`."""

    folder: Path
    signing_key: Ed25519PrivateKey
    tls_key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @property
    def signing_key_path(self) -> Path:
        return self.folder / SIGNING_KEY_FILE

    @property
    def tls_key_path(self) -> Path:
        return self.folder / TLS_KEY_FILE

    @property
    def certificate_path(self) -> Path:
        return self.folder / CERT_FILE

    @property
    def fingerprint(self) -> bytes:
        return fingerprint_of_certificate(self.certificate)

    @property
    def fingerprint_text(self) -> str:
        return format_fingerprint(self.fingerprint)

    def server_ssl_context(self) -> ssl.SSLContext:
        """A TLS 1.3 server context presenting this certificate."""
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        ctx.load_cert_chain(self.certificate_path, self.tls_key_path)
        return ctx


SIGNING_KEY_FILE = "signing-key.pem"
TLS_KEY_FILE = "tls-key.pem"
CERT_FILE = "tls-cert.pem"
DEFAULT_COMMON_NAME = "finals-kiosk head judge"


def ensure_master_identity(
    home: Path,
    *,
    now: dt.datetime | None = None,
    valid_days: int = 3650,
    extra_names: Sequence[str] = (),
    common_name: str = DEFAULT_COMMON_NAME,
    rng: Rng = os.urandom,
) -> MasterIdentity:
    """Load the master identity from `home/identity/`, creating what is missing on first use.

    Files are created in the order signing key, TLS key, certificate, so a crash leaves a
    prefix of them and the next call completes it. A certificate that has expired at `now`
    (default: the system clock) or lacks one of `extra_names` is reissued for the same key:
    the fingerprint does not change. Raises IdentityError, and creates nothing, if a key that
    an existing later file depends on is missing or the certificate is for another key: a
    new fingerprint would strand every enrolled terminal, so that must be a deliberate act.
    """
    when = now if now is not None else utc_now()
    folder = Path(home) / "identity"
    sk_path, tk_path = folder / SIGNING_KEY_FILE, folder / TLS_KEY_FILE
    cert_path = folder / CERT_FILE
    present = [p.exists() for p in (sk_path, tk_path, cert_path)]
    if present in ([False, True, False], [False, False, True], [False, True, True]):
        raise IdentityError(Said("id_missing_signing", path=sk_path))
    if present == [True, False, True]:
        raise IdentityError(Said("id_missing_tls", path=tk_path, cert=cert_path))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)

    if not present[0]:
        with contextlib.suppress(FileExistsError):  # lost a race: the winner's key is on disk
            save_private_key(sk_path, generate_signing_key(rng))
    if not present[1]:
        with contextlib.suppress(FileExistsError):
            save_private_key(tk_path, generate_tls_key(rng))
    signing_key = load_signing_key(sk_path)
    tls_key = load_tls_key(tk_path)

    def issue(overwrite: bool) -> None:
        cert = make_tls_certificate(
            common_name, tls_key, valid_days, now=when, extra_names=extra_names, rng=rng
        )
        pem = cert.public_bytes(serialization.Encoding.PEM)
        with contextlib.suppress(FileExistsError):
            _write_atomic(cert_path, pem, 0o644, overwrite=overwrite)

    if not cert_path.exists():
        issue(overwrite=False)
    cert = _load_certificate(cert_path)
    if fingerprint_of_certificate(cert) != _spki_hash(tls_key):
        raise IdentityError(Said("id_cert_mismatch", cert=cert_path, key=tk_path))
    if cert.not_valid_after_utc <= when or not _has_names(cert, extra_names):
        issue(overwrite=True)
        cert = _load_certificate(cert_path)
    return MasterIdentity(folder, signing_key, tls_key, cert)


class NoMasterIdentity(IdentityError):
    """There is no master identity at all in the home folder given (no `identity/`)."""


def load_master_identity(home: Path) -> MasterIdentity:
    """Load the master identity from `home/identity/` as it is, creating and changing nothing
    (for commands that only read). Raises NoMasterIdentity when there is no `identity/`
    folder, IdentityError when a file in it is missing, unreadable or inconsistent."""
    folder = Path(home) / "identity"
    if not folder.is_dir():
        raise NoMasterIdentity(Said("id_no_master", home=home, folder="identity/"))
    for path in (folder / SIGNING_KEY_FILE, folder / TLS_KEY_FILE, folder / CERT_FILE):
        if not path.is_file():
            raise IdentityError(Said("id_missing", path=path))
    signing_key = load_signing_key(folder / SIGNING_KEY_FILE)
    tls_key = load_tls_key(folder / TLS_KEY_FILE)
    cert = _load_certificate(folder / CERT_FILE)
    if fingerprint_of_certificate(cert) != _spki_hash(tls_key):
        raise IdentityError(Said("id_cert_mismatch", cert=folder / CERT_FILE,
                                 key=folder / TLS_KEY_FILE))
    return MasterIdentity(folder, signing_key, tls_key, cert)


def _spki_hash(key: ec.EllipticCurvePrivateKey) -> bytes:
    spki = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(spki).digest()


def _load_certificate(path: Path) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise IdentityError(Said("id_cert_unreadable", path=path, detail=exc)) from None


def _has_names(cert: x509.Certificate, names: Sequence[str]) -> bool:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return False
    return all(entry in san for entry in _alt_names(names))
