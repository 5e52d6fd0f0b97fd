"""The information exchange platform (Art. 9): spaces, folders, documents with versions, the
personal-data guard at every upload (Art. 9(3)), sensitivity markings (Art. 9(1)) and the
European Parliament's access as the steering board decides (Art. 9(4)). See docs/exchange.md."""
