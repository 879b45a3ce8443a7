"""Notification push to the seller's callback URL: settings, payloads and delivery with retries."""
