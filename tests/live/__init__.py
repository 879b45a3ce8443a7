"""Live tests: the stack over loopback, a headless browser, PostgreSQL, Redis and RabbitMQ."""
