"""ZanQA: grounded, cited questions and answers in Kazakh and Russian over the
Supreme Court of Kazakhstan's normative resolution No. 7 of 29 December 2012."""

__version__ = "0.1.0"
