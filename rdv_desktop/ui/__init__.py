"""Qt widgets, models/views and dialogs. Calls services only."""
