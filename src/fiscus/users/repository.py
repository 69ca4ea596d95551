"""Queries of users. Users are not tenant data; only services of this package use these."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from fiscus.users.models import User


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_email(self, email: str) -> User | None:
        return self.session.scalars(select(User).where(User.email == email.lower())).first()

    def by_id(self, user_id: uuid.UUID) -> User | None:
        return self.session.get(User, user_id)

    def by_ids(self, user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, User]:
        ids = list(set(user_ids))
        if not ids:
            return {}
        return {u.id: u for u in self.session.scalars(select(User).where(User.id.in_(ids)))}

    def add(self, user: User) -> User:
        self.session.add(user)
        return user
