"""Model fields for identifying data: values are encrypted before they reach the database."""

from __future__ import annotations

import json
from typing import Any

from django.db import models

from .cipher import blind_index, decrypt, encrypt


class EncryptedTextField(models.TextField):
    """Text encrypted with AES-256-GCM (see `lantern.crypto.cipher`).

    Not searchable, not orderable: use a `BlindIndexField` beside it for exact-match search.
    Empty strings and NULL are stored as they are (they reveal only that nothing was recorded).
    """

    description = "Encrypted text"

    def context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(str(value), self.context())

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value in (None, ""):
            return value
        return decrypt(value, self.context())

    def get_lookup(self, lookup_name: str):  # type: ignore[no-untyped-def]
        # Ciphertexts are randomised: only isnull makes sense; anything else would silently match nothing.
        if lookup_name not in ("isnull",):
            raise TypeError(
                f"{self.context()} is encrypted and cannot be searched with '{lookup_name}'. "
                "Search its blind index instead."
            )
        return super().get_lookup(lookup_name)


class EncryptedJSONField(EncryptedTextField):
    """A JSON value (object or list) stored as encrypted text: for data that is sensitive as a whole, such as
    a screening's answers and result (indicators of exploitation). Not searchable (only isnull).

    An empty string in the column (what erasure leaves) reads as an empty object.
    """

    description = "Encrypted JSON"

    def to_python(self, value: Any) -> Any:
        return value  # already a Python value; model validation must not turn it into text

    def get_prep_value(self, value: Any) -> Any:
        if value is None or value == "":
            return value
        return encrypt(json.dumps(value, separators=(",", ":")), self.context())

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        if value == "":
            return {}
        return json.loads(decrypt(value, self.context()))

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj))


class BlindIndexField(models.CharField):
    """Keyed HMAC of another field's normalised value, kept up to date on save.

    Query with ``Model.objects.filter(<field>=Model.<field>_for("value"))`` or `blind_index_for`.
    """

    def __init__(self, *args: Any, source: str = "", **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):  # type: ignore[no-untyped-def]
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.source}"

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = getattr(model_instance, self.source)
        digest = blind_index(value, self.context()) if value else ""
        setattr(model_instance, self.attname, digest)
        return digest


def blind_index_for(model: type[models.Model], field_name: str, value: str) -> str:
    """The blind-index digest to search `model.field_name` for `value`."""
    field = model._meta.get_field(field_name)
    assert isinstance(field, BlindIndexField)
    return blind_index(value, field.context())
