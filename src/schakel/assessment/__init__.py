"""The policy self-assessment (beleidsscan) against the study's model of an effective local
approach: 4 elements, 15 conditions (DOMAIN.md §9), the Basisniveau and VNG's Kader."""
