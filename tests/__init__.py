"""Tests of the product (see README: unit tests in the inner loop, live tests with the stack)."""
