"""What operators see of each process: health, readiness, Prometheus metrics, JSON logs."""
