"""collectstatic, as Django's, leaving out the vendor files Schakel does not serve.

The Utrecht design tokens' dist/ holds background-image-icon.css, which points at SVG icons the
npm package does not ship. Schakel uses only its theme.css, but collectstatic copies the whole
directory, and the hashed-name storage of production (WhiteNoise's
CompressedManifestStaticFilesStorage) stops at the first reference to a missing file: without
this pattern `collectstatic` fails and production cannot start."""

from django.contrib.staticfiles.apps import StaticFilesConfig as DjangoStaticFilesConfig


class StaticFilesConfig(DjangoStaticFilesConfig):
    ignore_patterns = [*DjangoStaticFilesConfig.ignore_patterns, "background-image-icon.css"]
