"""Service settings, read from ``STARLINT_*`` environment variables (see the README section on the service).

Lists are comma-separated (``STARLINT_API_KEYS=key1,key2``), never JSON, so they are easy to set
from a shell, a systemd unit or a container spec.
"""

from __future__ import annotations

import os
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

Mode = Literal["rules", "full"]
ALL_MODES: tuple[Mode, ...] = ("rules", "full")  # cheapest first: it is ready at once


def _split(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STARLINT_", extra="ignore", validate_default=True)

    modes: Annotated[list[Mode], NoDecode] = Field(
        default_factory=lambda: list(ALL_MODES),
        description="Evaluator modes loaded at start-up; a request may only ask for one of these. "
                    "'full' loads spaCy, static embeddings and models (a few seconds); 'rules' is instant.")
    default_mode: Mode | None = Field(
        None, description="Mode used when a request names none; defaults to 'full' when loaded, else 'rules'.")
    default_rubric: str = Field("general", description="Rubric id used when a request names none.")
    max_chars: int = Field(20_000, ge=1, description="Longest answer accepted, in characters (413 above).")
    max_body_bytes: int = Field(2 * 1024 * 1024, ge=1024, description="Largest request body, in bytes (413 above).")
    max_batch_items: int = Field(100, ge=1, description="Most items in one /v1/evaluate/batch request.")
    score_threads: int = Field(
        default_factory=lambda: min(4, os.cpu_count() or 1), ge=1,
        description="Threads that score answers; scoring never runs on the event loop.")
    api_keys: Annotated[list[SecretStr], NoDecode] = Field(
        default_factory=list, description="Accepted bearer tokens for /v1; empty = no authentication.")
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Origins allowed to call the API from a browser; empty = none.")

    @field_validator("modes", "api_keys", "cors_origins", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        return _split(value)

    @field_validator("modes")
    @classmethod
    def _some_mode(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("name at least one of rules, full")
        return sorted(set(value), key=ALL_MODES.index)

    @model_validator(mode="after")
    def _default_mode_is_loaded(self) -> Settings:
        if self.default_mode is None:
            self.default_mode = "full" if "full" in self.modes else self.modes[0]
        elif self.default_mode not in self.modes:
            raise ValueError(f"default_mode {self.default_mode!r} is not in modes {self.modes}; "
                             f"add it to STARLINT_MODES or change STARLINT_DEFAULT_MODE")
        return self

    @property
    def auth_enabled(self) -> bool:
        return bool(self.api_keys)
