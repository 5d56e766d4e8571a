"""Language-dependent understanding and wording that is not Rasa's NLU."""
