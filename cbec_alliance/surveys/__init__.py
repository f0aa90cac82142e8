"""The talent-demand survey (the paper's questionnaire, run every year) and its reports."""
