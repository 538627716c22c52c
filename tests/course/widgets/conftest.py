"""The widget tests draw with matplotlib's Agg backend: no screen, no window."""
import matplotlib

matplotlib.use("agg")
