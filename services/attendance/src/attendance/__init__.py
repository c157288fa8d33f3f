"""Shopfloor attendance: selfie check-in inside the store's geofence, shifts and schedules in the store's time zone, approvals, payroll profiles, monthly reports, and HR time entries, sick leave and modification requests"""

__version__ = "0.1.0"
