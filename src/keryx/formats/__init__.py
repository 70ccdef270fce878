"""Date and number formats per language (FORMAT_MODULE_PATH): 24-hour times everywhere."""
