"""Site photos (形象进度照片) of projects, stored privately and served only to who may see them."""
