"""Industry indicators: time series that coordinators import (trade value, enterprises, ...)."""
