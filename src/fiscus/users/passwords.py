"""Password policy and hashing.

Policy per NIST SP 800-63B and OWASP: at least 8 characters, at most 128 accepted, no
composition rules, and none of the most common passwords (zxcvbn's list of ~30,000
passwords seen in breaches). Hashes are argon2id with the configured cost.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from fiscus.config import get_settings
from fiscus.core.errors import InvalidInput

MIN_LENGTH = 8
MAX_LENGTH = 128


class WeakPassword(InvalidInput):
    """The password does not meet the password policy."""

    code = "weak_password"


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word for word in FREQUENCY_LISTS["passwords"] if len(word) >= MIN_LENGTH)


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    settings = get_settings()
    return PasswordHasher(
        time_cost=settings.argon2_time_cost,
        memory_cost=settings.argon2_memory_kib,
        parallelism=settings.argon2_parallelism,
    )


def check_policy(password: str, *, field: str = "password", email: str | None = None) -> None:
    normalized = unicodedata.normalize("NFKC", password)
    if len(normalized) < MIN_LENGTH:
        raise WeakPassword(f"must be at least {MIN_LENGTH} characters", field=field)
    if len(normalized) > MAX_LENGTH:
        raise WeakPassword(f"must be at most {MAX_LENGTH} characters", field=field)
    lowered = normalized.lower()
    if lowered in _common_passwords():
        raise WeakPassword("is one of the most common passwords; choose another", field=field)
    if email and lowered in {email.lower(), email.split("@")[0].lower()}:
        raise WeakPassword("must not be your e-mail address", field=field)


def hash_password(password: str) -> str:
    return _hasher().hash(unicodedata.normalize("NFKC", password))


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, unicodedata.normalize("NFKC", password))
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password("not-a-real-password-used-for-timing")


def burn_verification_time(password: str) -> None:
    """Spend as long as a real verification, so unknown e-mails are not revealed by timing."""
    verify_password(_dummy_hash(), password)
