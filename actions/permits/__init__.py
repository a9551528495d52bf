"""The permits journey: questions about a permit type, and the status of an application.

Every fact a resident is told (documents, fees, times, offices, statuses) comes from
the city's permits API at the moment of the question; the domain holds only the
frame of each message. A city that edits its catalogue changes the answers without
retraining.
"""
