"""`kasane demo`: a clearly fictional fiscal year for 久留米市, loaded through the public APIs.

``plan`` generates the year as data (pure, seeded); ``runner`` sends it to the running
services over HTTP with a progress bar; ``summary`` compares the result with indicators.
Every person, address and phone number is invented (see docs/demo.md).
"""
