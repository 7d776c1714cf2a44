"""The shift handover file: what is open, what was done, who hands over to whom."""
