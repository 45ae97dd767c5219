"""rdv-desktop: reception counters of a préfecture for paper titre de séjour deposits."""

__version__ = "0.1.0"
