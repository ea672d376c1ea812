"""The partner network around the approach: the partner directory (sociale kaart), trainings and
certification, and the care map (zorgkaart) of the region (DOMAIN.md §10)."""
