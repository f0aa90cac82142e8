"""The annual alliance report: sections read from every floor below, stored with its files."""
