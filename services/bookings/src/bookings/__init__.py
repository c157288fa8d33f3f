"""Shopfloor bookings: public repair bookings with captcha and throttles, the status transition table, issue presets and questionnaires, marketing leads, and bookings marked paid from invoicing's payments"""

__version__ = "0.1.0"
