"""OCR engines behind one small interface."""
