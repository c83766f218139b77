"""A screening's answers and result (indicators of exploitation) are stored encrypted, like identifying data.

The columns become text; the rows already there are encrypted in place (raw SQL: the model's field would try
to decrypt the plain JSON it finds). Backwards, they are decrypted and the columns become JSON again.
"""

import json

from django.db import migrations

import lantern.crypto.fields

COLUMNS = ("answers", "result")
CONTEXT = "screening.screening.{}"


def _rewrite(schema_editor, change) -> None:  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for column in COLUMNS:
            cursor.execute(
                f"SELECT id, {quote(column)} FROM screening_screening WHERE {quote(column)} IS NOT NULL"  # noqa: S608  # nosec B608
            )
            rows = cursor.fetchall()
            for pk, value in rows:
                if value in (None, ""):
                    continue
                cursor.execute(
                    f"UPDATE screening_screening SET {quote(column)} = %s WHERE id = %s",  # noqa: S608  # nosec B608
                    [change(value, CONTEXT.format(column)), pk],
                )


def encrypt_rows(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    from lantern.crypto.cipher import encrypt

    def seal(value, context):  # type: ignore[no-untyped-def]
        plain = value if isinstance(value, str) else json.dumps(value)
        return encrypt(json.dumps(json.loads(plain), separators=(",", ":")), context)

    _rewrite(schema_editor, seal)


def decrypt_rows(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    from lantern.crypto.cipher import decrypt

    _rewrite(schema_editor, lambda value, context: decrypt(value, context))


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0002_screening_case_foreign_key"),
    ]

    operations = [
        migrations.AlterField(
            model_name="screening",
            name="answers",
            field=lantern.crypto.fields.EncryptedJSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name="screening",
            name="result",
            field=lantern.crypto.fields.EncryptedJSONField(blank=True, null=True),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
