"""Page preparation: seal ink removal, binarisation, orientation and deskew."""
