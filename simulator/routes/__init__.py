"""Mercado Libre API endpoints the bot calls: OAuth, sales, shipments, claims, messaging and missed feeds."""
