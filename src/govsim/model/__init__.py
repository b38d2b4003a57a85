"""The model: residents, staff and cases, the event engine and the Mesa model that owns them."""
