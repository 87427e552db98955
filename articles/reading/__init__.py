"""The public reading site: views, stored essay pages, feeds, sitemaps, SEO,
view counts and the small endpoints (beacon, QR code, robots.txt)."""
