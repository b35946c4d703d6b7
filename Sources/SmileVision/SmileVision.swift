import CCVShim
