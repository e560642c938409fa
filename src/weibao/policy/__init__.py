"""Policy documents in and out: import .docx/.html/.md with pandoc; export .docx and PDF (typst)."""
