"""Open data: the directory as Open Referral HSDS 3.0, downloads as Frictionless Data Packages."""
