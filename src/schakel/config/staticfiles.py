"""The finder of the vendor directories (STATICFILES_DIRS), as Django's, leaving out for
collectstatic the vendor files Schakel does not serve.

The Utrecht design tokens' dist/ holds background-image-icon.css, which points at SVG icons the
npm package does not ship. Schakel uses only its theme.css, but collectstatic copies the whole
directory, and the hashed-name storage of production (WhiteNoise's
CompressedManifestStaticFilesStorage) stops at the first reference to a missing file: without
this, `collectstatic` fails and production cannot start. (A finder rather than a subclass of the
staticfiles app: tools such as pytest-django's live server look for "django.contrib.staticfiles"
by name in INSTALLED_APPS.)"""

from collections.abc import Iterable
from typing import Any

from django.contrib.staticfiles.finders import FileSystemFinder

UNSERVED = ["background-image-icon.css"]


class VendorFileSystemFinder(FileSystemFinder):
    def list(self, ignore_patterns: Iterable[str] | None) -> Iterable[Any]:
        return super().list([*(ignore_patterns or []), *UNSERVED])
