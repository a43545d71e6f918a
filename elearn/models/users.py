from __future__ import annotations

import secrets
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.extensions import db
from elearn.models.types import UTCDateTime
from elearn.models.units import Unit
from elearn.timeutil import utcnow

ROLES = ("learner", "trainer", "hr", "admin")
EMPLOYMENT_TYPES = ("PNS", "PPPK")


class User(UserMixin, db.Model):
    """An account: an ASN from the roster (NIP), or staff known by e-mail only."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("nip IS NOT NULL OR email IS NOT NULL", name="has_login_name"),
        CheckConstraint("employment_type IN ('PNS', 'PPPK')", name="employment_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nip: Mapped[str | None] = mapped_column(String(18), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(256))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    position: Mapped[str | None] = mapped_column(String(200))
    rank: Mapped[str | None] = mapped_column(String(16))
    employment_type: Mapped[str] = mapped_column(String(8), default="PNS")
    birth_place: Mapped[str | None] = mapped_column(String(100))
    birth_date: Mapped[date | None] = mapped_column(Date)
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A one-time password (set by HR or at first run) stops opening the account after this.
    password_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Identifies the person to other systems (xAPI) without revealing the NIP.
    opaque_id: Mapped[str] = mapped_column(String(32), unique=True, default=lambda: secrets.token_hex(16))
    # Renewed by every change to the account or its roles (accounts.cache): each worker keeps the
    # signed-in person's account and compares this number on every request.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    unit: Mapped[Unit | None] = relationship(foreign_keys=[unit_id])
    # Loaded with the signed-in user (accounts.cache); other people's roles only on demand,
    # so that pages listing people, certificates or reports do not read everyone's roles.
    role_rows: Mapped[list[UserRole]] = relationship(back_populates="user", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<User {self.login_name}>"

    # The secret of the log-in session this object was loaded for (accounts.sessions); the
    # session cookie holds "<id>.<secret>" and the database only a hash of the secret.
    session_secret: str = ""

    def get_id(self) -> str:
        return f"{self.id}.{self.session_secret}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def login_name(self) -> str:
        return self.nip or self.email or ""

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(row.role for row in self.role_rows)

    def has_role(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)

    def set_roles(self, roles) -> None:
        wanted = set(roles)
        unknown = wanted - set(ROLES)
        if unknown:
            raise ValueError(f"unknown roles: {sorted(unknown)}")
        self.role_rows = [row for row in self.role_rows if row.role in wanted] + [
            UserRole(role=role) for role in sorted(wanted - self.roles)
        ]


class LoginSession(db.Model):
    """One signed-in browser. Logging out deletes it, so a copied cookie opens nothing."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)


class UserRole(db.Model):
    __tablename__ = "user_roles"
    __table_args__ = (CheckConstraint("role IN ('learner', 'trainer', 'hr', 'admin')", name="role"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")
