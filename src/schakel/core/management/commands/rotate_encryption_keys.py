from typing import Any

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import models, transaction

from schakel.core.fields import EncryptedTextField
from schakel.core.storage import EncryptedFileSystemStorage


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field and every stored upload under the first key of "
        "SCHAKEL_ENCRYPTION_KEYS. Run it after putting a new key first; remove the old key only "
        "after this has finished."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model in apps.get_models():
            names = [f.name for f in model._meta.fields if isinstance(f, EncryptedTextField)]
            if not names:
                continue
            manager = model._base_manager
            for pk in manager.values_list("pk", flat=True).iterator(chunk_size=500):
                with transaction.atomic():
                    # Reading decrypts with any known key; writing encrypts with the first one.
                    values = manager.select_for_update().filter(pk=pk).values(*names).get()
                    manager.filter(pk=pk).update(**values)
                total += 1
            self.stdout.write(f"{model._meta.label}: {', '.join(names)}")
        files = 0
        storage = default_storage
        if isinstance(storage, EncryptedFileSystemStorage):
            for model in apps.get_models():
                for field in model._meta.fields:
                    if not isinstance(field, models.FileField):
                        continue
                    stored = model._base_manager.exclude(**{field.name: ""}).values_list(
                        field.name, flat=True
                    )
                    for name in stored.iterator(chunk_size=500):
                        if storage.exists(name):
                            storage.reencrypt(name)
                            files += 1
        self.stdout.write(f"Re-encrypted {total} row(s) and {files} file(s).")
