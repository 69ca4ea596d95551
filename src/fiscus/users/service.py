"""User use cases: create, authenticate by password, change password, look up."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy.orm import Session

from fiscus.core.clock import utcnow
from fiscus.core.errors import Conflict, InvalidInput, NotFound
from fiscus.users import passwords
from fiscus.users.models import User
from fiscus.users.repository import UserRepository


class EmailTaken(Conflict):
    """An account with this e-mail address already exists."""

    code = "email_taken"


class UserNotFound(NotFound):
    """No user has this e-mail address; they must register first."""

    code = "user_not_found"


class WrongPassword(InvalidInput):
    """The current password is not correct."""

    code = "wrong_password"


def create_user(session: Session, *, email: str, name: str, password: str) -> User:
    email = email.strip().lower()
    passwords.check_policy(password, email=email)
    repo = UserRepository(session)
    if repo.by_email(email) is not None:
        raise EmailTaken(field="email")
    now = utcnow()
    user = User(
        email=email,
        name=name.strip(),
        password_hash=passwords.hash_password(password),
        password_changed_at=now,
    )
    repo.add(user)
    session.flush()
    return user


def authenticate(session: Session, *, email: str, password: str) -> User | None:
    """The active user with these credentials, or None, in constant-ish time either way."""
    user = UserRepository(session).by_email(email.strip().lower())
    if user is None or not user.is_active:
        passwords.burn_verification_time(password)
        return None
    if not passwords.verify_password(user.password_hash, password):
        return None
    return user


def change_password(session: Session, user_id: uuid.UUID, *, current: str, new: str) -> User:
    user = get_user(session, user_id)
    if not passwords.verify_password(user.password_hash, current):
        raise WrongPassword(field="current_password")
    passwords.check_policy(new, field="new_password", email=user.email)
    user.password_hash = passwords.hash_password(new)
    user.password_changed_at = utcnow()
    session.flush()
    return user


def get_user(session: Session, user_id: uuid.UUID) -> User:
    user = UserRepository(session).by_id(user_id)
    if user is None:
        raise NotFound()
    return user


def find_by_email(session: Session, email: str) -> User:
    user = UserRepository(session).by_email(email.strip().lower())
    if user is None or not user.is_active:
        raise UserNotFound(field="email")
    return user


def users_by_id(session: Session, user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, User]:
    return UserRepository(session).by_ids(user_ids)
