"""The course format: files in, validated courses out."""
