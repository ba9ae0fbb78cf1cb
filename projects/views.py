"""Screens: thin views that call selectors and services."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def home(request):
    return render(request, "projects/home.html")
