"""The site shell: layout, navigation, language switcher, health check, error pages."""
