"""Notice letters in the app: preview, print, save as PDF, today's route in one job, the delivery record."""
