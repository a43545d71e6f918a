"""Development records (riwayat pengembangan kompetensi): JP credited per year, from completed
courses and from external trainings that HR has verified."""
