"""The reviews app's pages: language (check, figures), case reviews and recommendations."""
