# Partner events are written through their services and workflows only; nothing in admin.
