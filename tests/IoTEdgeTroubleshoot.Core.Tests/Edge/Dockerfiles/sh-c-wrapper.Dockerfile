FROM python:3.12-slim
WORKDIR /app
COPY . .
CMD ["sh", "-c", "python3 -u ./main.py"]
