"""thidua: the emulation-and-commendation (thi đua – khen thưởng) toolkit for public hospitals."""

__version__ = "0.1.0"
